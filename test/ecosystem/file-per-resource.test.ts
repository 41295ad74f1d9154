/**
 * cdk8s's file-per-resource output (`yamlOutputType`), which GitOps
 * repositories often prefer, carries the library's output unchanged: the
 * post-processed fields (native sidecars, volumeClaimTemplates) are there, one
 * object per file, with names that stay the same from one synth to the next.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size, YamlOutputType } from 'cdk8s';
import { KubernetesVersion, LogCollector, LogDestination, SidecarMode, StatefulService } from '../../src';
import { parseManifests } from '../harness/examples';

/** The same app, synthesized by `app.synth()` into a fresh directory with the given output type. */
function synthApp(yamlOutputType: YamlOutputType): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-per-resource-'));
  const app = new App({ outdir, yamlOutputType });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new StatefulService(chart, 'db', {
    container: { image: 'postgres:16.4', ports: [{ number: 5432, name: 'pg' }], securityContext: { user: 999, group: 999 } },
    volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/postgresql/data' }],
    sidecarMode: SidecarMode.NATIVE,
    kubernetesVersion: KubernetesVersion.V1_29,
    patterns: [new LogCollector({ logDir: '/var/log/postgresql', destination: LogDestination.stdout() })],
  });
  app.synth();
  return outdir;
}

/** Relative path -> content of every file under `dir`. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const key = (m: any) => `${m.kind}/${m.metadata.name}`;

describe('yamlOutputType', () => {
  // GIVEN the app written one file per chart (the default), the reference
  const perChart = files(synthApp(YamlOutputType.FILE_PER_CHART));
  const reference = [...perChart.values()].flatMap(parseManifests);

  test('the reference is one file per chart holding every object', () => {
    expect([...perChart.keys()]).toEqual(['shop.k8s.yaml']);
    expect(reference.map(key).sort()).toEqual([
      'ConfigMap/shop-db-log-collector-config-c8640d75',
      'PodDisruptionBudget/shop-db-disruptionbudget-c8feb248',
      'Service/shop-db-headless-c852f005',
      'StatefulSet/shop-db-c8048855',
    ]);
  });

  test.each([
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE, ''],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'shop/'],
  ])('%s writes each object to its own stable file, unchanged', (_name, type, folder) => {
    // WHEN synthesized one file per resource, twice
    const first = files(synthApp(type));
    const second = files(synthApp(type));
    // THEN every file holds one object and is named <folder><Kind>.<name>.k8s.yaml
    const objects = [...first.entries()].map(([file, text]) => {
      const docs = parseManifests(text);
      expect(docs).toHaveLength(1);
      expect(file).toBe(`${folder}${docs[0].kind}.${docs[0].metadata.name}.k8s.yaml`);
      return docs[0];
    });
    // AND the objects are exactly those of the one-file-per-chart output, post-processing included
    const byKey = (ms: any[]) => new Map(ms.map(m => [key(m), m]));
    expect(byKey(objects)).toEqual(byKey(reference));
    const sts = objects.find(m => m.kind === 'StatefulSet');
    expect(sts.spec.template.spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-collector', 'Always']]);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    // AND a second synth writes the same files, byte for byte
    expect(second).toEqual(first);
  });
});
