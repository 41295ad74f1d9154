/**
 * `cdk8s synth --format helm` turns an example into a Helm chart that the real
 * `helm` passes `helm lint` on and renders with `helm template`.
 *
 * helm comes from scripts/fetch-helm.sh (.tools/helm). When it is missing the
 * test fails under CI and is skipped, loudly, on a workstation.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const HELM = path.join(ROOT, '.tools', 'helm');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const haveHelm = fs.existsSync(HELM);

if (!haveHelm && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING Helm tests: ${HELM} is missing. Run scripts/fetch-helm.sh to fetch helm.`);
}

const EXAMPLES = ['wordpress-mysql', 'hello'].filter(n => fs.existsSync(path.join(ROOT, 'examples', n, 'main.ts')));

describe('Helm output', () => {
  test('helm is available (required under CI)', () => {
    if (!process.env.CI && !haveHelm) return;
    expect(haveHelm).toBe(true);
  });

  const run = haveHelm ? test.each(EXAMPLES) : test.skip.each(EXAMPLES);
  run('examples/%s synthesizes to a chart that passes helm lint and renders', (name) => {
    // GIVEN the example app
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `helm-${name}-`));
    const chartDir = path.join(out, 'chart');
    // WHEN synthesized as a Helm chart by the cdk8s CLI
    execFileSync(CDK8S, ['synth', '--format', 'helm', '--chart-version', '1.0.0', '--output', chartDir,
      '--app', `npx ts-node --project ${path.join(ROOT, 'test', 'tsconfig.json')} main.ts`], {
      cwd: path.join(ROOT, 'examples', name), stdio: 'pipe', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    // THEN helm lint passes
    const lint = execFileSync(HELM, ['lint', chartDir], { encoding: 'utf8' });
    expect(lint).toContain('1 chart(s) linted, 0 chart(s) failed');
    // AND helm template renders the same objects that the plain synth commits
    const rendered = execFileSync(HELM, ['template', 'release', chartDir], { encoding: 'utf8' });
    const kinds = (text: string) => parseAllDocuments(text).map(d => d.toJSON()).filter(Boolean)
      .map((m: any) => `${m.kind}/${m.metadata.name}`).sort();
    const distDir = path.join(ROOT, 'examples', name, 'dist');
    const committed = fs.readdirSync(distDir).filter(f => f.endsWith('.yaml'))
      .map(f => fs.readFileSync(path.join(distDir, f), 'utf8')).join('\n---\n');
    expect(kinds(rendered)).toEqual(kinds(committed));
    // AND the Pod diagrams sit beside Chart.yaml, not in templates/, where Helm would render them as manifests
    expect(fs.readdirSync(path.join(chartDir, 'templates')).filter(f => !f.endsWith('.yaml'))).toEqual([]);
    expect(fs.existsSync(path.join(chartDir, `${name}.pods.md`))).toBe(true);
  }, 120_000);
});
