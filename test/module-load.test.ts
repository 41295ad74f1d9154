import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src') + path.sep;

/**
 * The modules of src/ loaded in a fresh Node process that requires the
 * package (from its sources) and then runs `then`, relative to src/.
 */
function loadedModules(then = ''): string[] {
  const script = `const lib = require(${JSON.stringify(SRC)}); ${then};\n`
    + 'process.stdout.write(JSON.stringify(Object.keys(require.cache)));';
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
  });
  if (r.status !== 0) throw new Error(`node exited with ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as string[]).filter(f => f.startsWith(SRC)).map(f => f.slice(SRC.length).split(path.sep).join('/'));
}

/** The modules that only the policy report and the diagrams use. */
const TOOLING = (f: string) => f === 'policy/evaluate.ts' || f.startsWith('policy/rules/')
  || f === 'diagram/pod-diagram.ts' || f === 'diagram/endpoint-index.ts' || f === 'diagram/mermaid.ts';

describe('loading the package', () => {
  test('loads neither the policy rules nor the diagram drawing code', () => {
    // WHEN the package is required
    const loaded = loadedModules();
    // THEN the classes that use them are loaded, the modules behind them are not
    expect(loaded).toEqual(expect.arrayContaining(['index.ts', 'policy/policy-report.ts', 'diagram/pod-diagrams.ts']));
    expect(loaded.filter(TOOLING)).toEqual([]);
  });

  test('loads the rules with the first report and the drawing code with the first diagram, which then work', () => {
    // WHEN an app reports on its objects (a plain cdk8s-plus Deployment with an untagged image among them) and draws its workload
    const loaded = loadedModules(`const { App, Chart } = require('cdk8s');
      const chart = new Chart(new App(), 'c');
      new lib.StatelessService(chart, 'web', { container: { image: 'registry.example.com/web:1.2.3', ports: [{ number: 8080 }],
        securityContext: { user: 10001 } } });
      new (require('cdk8s-plus-27').Deployment)(chart, 'raw', { containers: [{ image: 'nginx' }] });
      const report = lib.PolicyReport.fromChart(chart);
      if (!report.findings.some(f => f.rule === 'container-image-pinned')) throw new Error('the rules found nothing: ' + report.format());
      if (!lib.PodDiagrams.markdownForChart(chart).includes('flowchart')) throw new Error('no diagram');`);
    // THEN the modules behind them were loaded on that first use
    expect(loaded).toEqual(expect.arrayContaining(['policy/evaluate.ts', 'policy/rules/all-rules.ts', 'diagram/pod-diagram.ts',
      'diagram/endpoint-index.ts']));
  });
});
