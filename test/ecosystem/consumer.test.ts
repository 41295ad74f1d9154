/**
 * The library as an app team gets it: packed with `npm pack`, installed from
 * the tarball into a fresh app laid out like `cdk8s init typescript-app`'s
 * (cdk8s.yaml with `app: npx ts-node main.ts`, its tsconfig.json, cdk8s-plus-33
 * installed beside cdk8s-plus-27), and run by the real `cdk8s synth`. The apps
 * are the README's "Use it in your app" code, verbatim.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PolicyReport } from '../../src';
import { parseManifests, readYamlDir } from '../harness/examples';
import { checkRestricted } from '../harness/pss';
import { crdValidators, CustomValidators, validateSchemas } from '../harness/schema';
import { podSpec } from '../util';
import { cdk8s, createConsumerApp, packLibrary, readmeBlock, ROOT } from './support/consumer-app';

const CRD = path.join(ROOT, 'imports', 'crds', 'etcdclusters.etcd.database.coreos.com.yaml');

let work: string;
let app: string;
let tarball: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  tarball = packLibrary(work);
  app = path.join(work, 'shop');
  createConsumerApp(app, { tarball, withPlus33: true });
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** `cdk8s synth` of `file` into `outdir` (relative to the app); fails with the CLI's output. */
function synth(file: string, outdir: string, appCommand = `npx ts-node ${file}`): any[] {
  const r = cdk8s(app, ['synth', '--app', appCommand, '--output', outdir]);
  if (r.status !== 0) throw new Error(`cdk8s synth of ${file} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return [...readYamlDir(path.join(app, outdir)).values()].flatMap(parseManifests);
}

/** The output of a failing `cdk8s synth`; fails when the synth succeeds. */
function failingSynth(appCommand: string): string {
  const r = cdk8s(app, ['synth', '--app', appCommand, '--output', 'dist-failing']);
  if (r.status === 0) throw new Error(`cdk8s synth with "${appCommand}" succeeded, expected a failure`);
  return `${r.stdout}\n${r.stderr}`;
}

/** Schema, Pod Security "restricted" and policy findings of severity ERROR over the YAML files in `outdir` of the app. */
function problems(outdir: string, custom: CustomValidators = new Map()): string[] {
  const dir = path.join(app, outdir);
  const files = [...readYamlDir(dir).keys()].map(f => path.join(dir, f));
  const manifests = files.flatMap(f => parseManifests(fs.readFileSync(f, 'utf8')));
  const schema = validateSchemas(manifests, custom);
  return [
    ...schema.errors.map(e => `schema: ${e}`),
    ...schema.unchecked.map(u => `schema: no schema known for ${u}`),
    ...checkRestricted(manifests).map(p => `pss: ${p.object}: ${p.control}: ${p.detail}`),
    ...files.flatMap(f => PolicyReport.fromYamlFile(f).errors).map(f => `policy: ${f.rule} ${f.object}: ${f.message}`),
  ];
}

describe('a fresh cdk8s app using the packed library', () => {
  test('the package holds the compiled library, its declarations and docs, and nothing else', () => {
    // GIVEN the tarball
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n')
      .map(f => f.replace(/^package\//, ''));
    // THEN
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'API.md', 'LICENSE', '.jsii', 'lib/index.js', 'lib/index.d.ts']));
    // (the runtime dependencies jsii bundles, such as yaml, ship under node_modules/)
    const bundled: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bundledDependencies ?? [];
    const isBundled = (f: string) => bundled.some(d => f.startsWith(`node_modules/${d}/`));
    expect(bundled).toEqual(['yaml']);
    expect(files.filter(f => !isBundled(f) && !/^(package\.json|README\.md|API\.md|LICENSE|\.jsii|lib\/.+\.(js|d\.ts|js\.map))$/.test(f))).toEqual([]);
    // AND every compiled module loads from the installed package
    const installed = path.join(app, 'node_modules', 'cdk8s-container-patterns');
    const modules = files.filter(f => f.startsWith('lib/') && f.endsWith('.js')).map(f => path.join(installed, f));
    const loaded = execFileSync(process.execPath, ['-e', 'for (const m of process.argv.slice(1)) require(m); console.log(process.argv.length - 1)',
      ...modules], { cwd: app, encoding: 'utf8' });
    expect(Number(loaded)).toBe(modules.length);
  });

  test('the README\'s first chart synthesizes through cdk8s synth to valid, restricted, repeatable YAML', () => {
    // GIVEN the README's main.ts
    fs.writeFileSync(path.join(app, 'main.ts'), readmeBlock('Your first chart'));
    // WHEN synthesized twice by the CLI, with the app command of cdk8s.yaml
    const r = cdk8s(app, ['synth']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const first = readYamlDir(path.join(app, 'dist'));
    const second = synth('main.ts', 'dist-again');
    // THEN the files the README names, byte-identical from one synth to the next
    expect([...first.keys()]).toEqual(['shop.k8s.yaml']);
    const manifests = parseManifests(first.get('shop.k8s.yaml')!);
    expect(second).toEqual(manifests);
    expect(readYamlDir(path.join(app, 'dist-again'))).toEqual(first);
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
    // AND the output passes the schema, Pod Security "restricted" and policy checks
    expect(problems('dist')).toEqual([]);
    const pod = podSpec(manifests.find(m => m.kind === 'Deployment'));
    expect(pod.containers.map((c: any) => c.name)).toEqual(['app', 'log-collector']);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/ready');
  }, 180_000);

  test('an app imports its operator\'s CRD with cdk8s import (offline) and uses it beside a workload', () => {
    // GIVEN the operator's CRD file in the app, imported by the CLI
    fs.mkdirSync(path.join(app, 'crds'), { recursive: true });
    fs.copyFileSync(CRD, path.join(app, 'crds', path.basename(CRD)));
    const imported = cdk8s(app, ['import', `crds/${path.basename(CRD)}`]);
    expect(imported.status).toBe(0);
    expect(fs.existsSync(path.join(app, 'imports', 'etcd.database.coreos.com.ts'))).toBe(true);
    // AND the README's main.ts that uses it
    fs.writeFileSync(path.join(app, 'operator.ts'), readmeBlock('Your operator\'s custom resources'));
    // WHEN synthesized
    const manifests = synth('operator.ts', 'dist-operator');
    // THEN the custom resource sits beside the workload, which references the operator's Service
    expect(manifests.map(m => m.kind).sort()).toEqual(['Deployment', 'EtcdCluster', 'PodDisruptionBudget', 'Service']);
    const etcd = manifests.find(m => m.kind === 'EtcdCluster');
    expect(etcd.spec).toEqual({ size: 3, version: '3.3.25' });
    const pod = podSpec(manifests.find(m => m.kind === 'Deployment'));
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'ETCD_HOST', value: 'config-store-client.platform.svc.cluster.local' },
    ]));
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['wait-etcd']);
    // AND everything validates, the custom resource against its CRD's schema
    const crd = parseManifests(fs.readFileSync(CRD, 'utf8'))[0];
    expect(problems('dist-operator', crdValidators(crd))).toEqual([]);
  }, 180_000);

  test('the target version set in main.ts reaches the workloads; one in cdk8s.yaml does not, and the error names the routes', () => {
    // GIVEN an app with a native sidecar, once with the context set in code
    const body = (setContext: string) => [
      'import { App, Chart } from \'cdk8s\';',
      'import { KUBERNETES_VERSION_CONTEXT, LogCollector, LogDestination, SidecarMode, StatelessService } from \'cdk8s-container-patterns\';',
      'const app = new App();',
      setContext,
      'const chart = new Chart(app, \'native\');',
      'new StatelessService(chart, \'web\', {',
      '  container: { image: \'registry.example.com/web:1.0.0\', securityContext: { user: 10001, group: 10001 } },',
      '  sidecarMode: SidecarMode.NATIVE,',
      '  patterns: [new LogCollector({ logDir: \'/var/log/web\', destination: LogDestination.stdout() })],',
      '});',
      'void KUBERNETES_VERSION_CONTEXT;',
      'app.synth();',
    ].join('\n') + '\n';
    fs.writeFileSync(path.join(app, 'in-code.ts'), body('app.node.setContext(KUBERNETES_VERSION_CONTEXT, \'1.29\');'));
    fs.writeFileSync(path.join(app, 'in-yaml.ts'), body(''));
    // WHEN synthesized with the context in code
    const manifests = synth('in-code.ts', 'dist-in-code');
    // THEN the sidecar is native
    const pod = podSpec(manifests.find(m => m.kind === 'Deployment'));
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-collector', 'Always']]);

    // WHEN the version is only written into cdk8s.yaml
    const config = path.join(app, 'cdk8s.yaml');
    const original = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, `${original}context:\n  cdk8s-container-patterns/kubernetesVersion: "1.29"\n`);
    let output: string;
    try {
      output = failingSynth('npx ts-node in-yaml.ts');
    } finally {
      fs.writeFileSync(config, original);
    }
    // THEN the app never sees it, and the error says where the version can be set
    expect(output.replace(/\s+/g, ' ')).toContain('[native/web] sidecarMode NATIVE needs Kubernetes >= 1.29 (got kubernetesVersion 1.27). '
      + 'Native sidecars are init containers with restartPolicy: Always, which older API servers reject or silently drop. '
      + 'Fix: if your clusters run 1.29 or later, set kubernetesVersion: KubernetesVersion.V1_29 on the workload, or for every '
      + 'workload call app.node.setContext("cdk8s-container-patterns/kubernetesVersion", "1.29") right after new App() in '
      + 'main.ts (cdk8s.yaml does not reach the app); else use SidecarMode.CLASSIC.');
  }, 180_000);

  test('fails when the app passes a cdk8s-plus-33 object: at type-check under ts-node, at synth without type-checks', () => {
    // GIVEN the README's first chart, taking its Probe from cdk8s-plus-33 (which cdk8s init installs)
    const code = readmeBlock('Your first chart')
      .replace('import * as kplus from \'cdk8s-plus-27\';', 'import * as kplus from \'cdk8s-plus-27\';\nimport * as plus33 from \'cdk8s-plus-33\';')
      .replace('kplus.Probe.fromHttpGet', 'plus33.Probe.fromHttpGet');
    expect(code).toContain('plus33.Probe.fromHttpGet');
    fs.writeFileSync(path.join(app, 'plus33.ts'), code);
    // WHEN synthesized with ts-node type-checking, THEN the compiler refuses it
    expect(failingSynth('npx ts-node plus33.ts')).toContain('Types have separate declarations of a private property \'probeOptions\'');
    // WHEN synthesized without type checks, THEN the workload refuses it, naming the fix
    const version = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk8s-plus-33', 'package.json'), 'utf8')).version;
    expect(failingSynth('npx ts-node --transpile-only plus33.ts').replace(/\s+/g, ' ')).toContain(
      `[shop/web] container.readiness must come from cdk8s-plus-27 (got Probe of cdk8s-plus-33 ${version}): this library is `
      + 'built on cdk8s-plus-27, and objects of two cdk8s-plus packages do not mix (TypeScript reports most of them as '
      + '"separate declarations of a private property"). Fix: import Probe from \'cdk8s-plus-27\' (npm install cdk8s-plus-27) '
      + 'for every object you pass to this library.');
  }, 180_000);
});
