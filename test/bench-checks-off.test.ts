/**
 * The benchmark's "checks off" contender measures the library without its
 * shared checks. These tests keep it honest: the checks it names really stop
 * running, and the output stays byte-identical, so its figures compare the
 * same manifests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Modules = {
  cdk8s: typeof import('cdk8s');
  kplus: typeof import('cdk8s-plus-27');
  workloads: typeof import('../src/workloads/stateless-service');
  library: typeof import('../bench/contenders/library');
  handwritten: typeof import('../bench/contenders/handwritten');
  mix: typeof import('../bench/mix');
};

/** The modules in a registry of their own, with the checks switched off first when `off`. */
function load(off: boolean): Modules {
  let m: Modules | undefined;
  // require, not import: the modules must load inside the isolated registry, after the checks are switched off
  /* eslint-disable @typescript-eslint/no-require-imports */
  jest.isolateModules(() => {
    if (off) require('../bench/checks-off').switchOffChecks();
    m = {
      cdk8s: require('cdk8s'),
      kplus: require('cdk8s-plus-27'),
      workloads: require('../src/workloads/stateless-service'),
      library: require('../bench/contenders/library'),
      handwritten: require('../bench/contenders/handwritten'),
      mix: require('../bench/mix'),
    };
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
  return m!;
}

/** A workload with an unpinned image (a construct-time check) and a password in plain text (a check at synth). */
function flawed(m: Modules): () => unknown {
  const chart = m.cdk8s.Testing.chart();
  return () => {
    new m.workloads.StatelessService(chart, 'web', {
      container: {
        image: 'registry.example.com/web',
        portNumber: 8080,
        securityContext: { user: 10001 },
        envVariables: { DB_PASSWORD: m.kplus.EnvValue.fromValue('hunter2') },
      },
    });
    return m.cdk8s.Testing.synth(chart);
  };
}

function yamlOf(m: Modules, build: (chart: import('cdk8s').Chart, n: number) => void, n: number): string {
  const app = new m.cdk8s.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checks-off-')) });
  build(new m.cdk8s.Chart(app, m.mix.CHART_ID), n);
  app.synth();
  return fs.readFileSync(path.join(app.outdir, `${m.mix.CHART_ID}.k8s.yaml`), 'utf8');
}

test('with the checks on, the flawed workload fails at construction', () => {
  expect(flawed(load(false))).toThrow(/has no tag/);
});

test('with the checks off, neither the construct-time check nor the validation at synth runs', () => {
  const m = load(true);
  const manifests = flawed(m)() as any[];
  const deployment = manifests.find(o => o.kind === 'Deployment');
  expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/web');
  expect(deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'DB_PASSWORD', value: 'hunter2' }]);
});

test('with the checks off, the library writes the same bytes as the hand-written program', () => {
  const m = load(true);
  const n = 20;
  expect(yamlOf(m, m.library.build, n)).toEqual(yamlOf(m, m.handwritten.build, n));
});
