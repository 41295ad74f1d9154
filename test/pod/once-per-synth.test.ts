import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { StatelessService } from '../../src';
import { PodComposition } from '../../src/pod/composition';
import { errorOf } from '../util';
import { APP, sidecar } from './support';

/**
 * The checks of a workload's Pod run once per `App.synth()`, although cdk8s
 * validates the app once when the synth starts and again for every chart.
 * Any change made between two synths must still be seen.
 */
describe('the Pod checks run once per synth', () => {
  let outdir: string;
  beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'once-per-synth-')); });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  const countChecks = () => jest.spyOn(PodComposition.prototype, 'podRuleProblems');
  const web = (chart: Chart, id: string) =>
    new StatelessService(chart, id, { container: APP, patterns: [sidecar('metrics', { ports: [{ number: 9100 }] })] });

  test('one synth of two charts checks each workload once, not once per validation pass', () => {
    // GIVEN two charts with a workload each (cdk8s validates the app three times in this synth)
    const app = new App({ outdir });
    web(new Chart(app, 'a'), 'web');
    web(new Chart(app, 'b'), 'web');
    const checks = countChecks();
    // WHEN the app is synthesized
    app.synth();
    // THEN each Pod was checked once, and both charts were written
    expect(checks).toHaveBeenCalledTimes(2);
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
  });

  test('every synth checks again, so a change between two synths is refused', () => {
    // GIVEN an app synthesized once, without a problem
    const app = new App({ outdir });
    const w = web(new Chart(app, 'a'), 'web');
    app.synth();
    // WHEN the main container then declares the sidecar's port
    w.mainContainer.addPort({ number: 9100 });
    // THEN the next synth fails with the clash
    expect(errorOf(() => app.synth())).toContain('[a/web] container port 9100/TCP is declared by containers "app" and "metrics"');
    expect(errorOf(() => app.synthYaml())).toContain('[a/web] container port 9100/TCP is declared by containers "app" and "metrics"');
  });

  test('a synth that failed elsewhere keeps nothing: the next synth checks the changed Pod', () => {
    // GIVEN a synth that fails because of another construct's validation, with the Pod sound at that time
    const app = new App({ outdir });
    const chart = new Chart(app, 'a');
    const w = web(chart, 'web');
    let otherProblem = true;
    new Construct(chart, 'other').node.addValidation({ validate: () => (otherProblem ? ['other problem'] : []) });
    expect(errorOf(() => app.synth())).toContain('other problem');
    // WHEN the other problem is fixed and the Pod broken
    otherProblem = false;
    w.mainContainer.addPort({ number: 9100 });
    // THEN the next synth reports the Pod's problem
    expect(errorOf(() => app.synth())).toContain('container port 9100/TCP is declared by containers "app" and "metrics"');
  });

  test('a chart synthesized on its own is checked on every call', () => {
    // GIVEN a chart whose app was synthesized once
    const app = new App({ outdir });
    const chart = new Chart(app, 'a');
    const w = web(chart, 'web');
    app.synth();
    const checks = countChecks();
    // WHEN the chart alone is synthesized twice, with a change in between
    Testing.synth(chart);
    w.mainContainer.addPort({ number: 9100 });
    // THEN both calls checked the Pod, and the second saw the change
    expect(errorOf(() => Testing.synth(chart))).toContain('container port 9100/TCP is declared by containers "app" and "metrics"');
    expect(checks).toHaveBeenCalledTimes(2);
  });

  test('an App subclass that overrides synth keeps its override', () => {
    // GIVEN an App whose synth does more than cdk8s's
    const calls: string[] = [];
    class LoggingApp extends App {
      public synth(): void {
        calls.push('synth');
        super.synth();
      }
    }
    const app = new LoggingApp({ outdir });
    web(new Chart(app, 'a'), 'web');
    const checks = countChecks();
    // WHEN it is synthesized
    app.synth();
    // THEN the override ran, the manifest was written and the Pod checked once
    expect(calls).toEqual(['synth']);
    expect(fs.existsSync(path.join(outdir, 'a.k8s.yaml'))).toBe(true);
    expect(checks).toHaveBeenCalledTimes(1);
  });
});
