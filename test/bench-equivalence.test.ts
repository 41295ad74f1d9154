/**
 * The synth benchmark compares the library with a hand-written cdk8s-plus-27
 * program that must write the same bytes. This keeps the two in step: a change
 * of the library's output fails here, not only when someone runs the bench.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { build as buildHandwritten } from '../bench/contenders/handwritten';
import { build as buildLibrary } from '../bench/contenders/library';
import { CHART_ID, workloadSpec } from '../bench/mix';

function synth(build: (chart: Chart, n: number) => void, n: number): { yaml: string; objects: any[] } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-equivalence-')) });
  const chart = new Chart(app, CHART_ID);
  build(chart, n);
  // what app.synth() does before writing: validate every construct, then render
  const errors = app.node.findAll().flatMap(c => c.node.validate());
  expect(errors).toEqual([]);
  const objects = chart.toJson();
  return { yaml: Yaml.stringify(...objects), objects };
}

// 20 workloads: both kinds of the mix (every tenth is stateful)
const N = 20;

test('the mix has both kinds of workload', () => {
  const kinds = Array.from({ length: N }, (_, i) => workloadSpec(i).kind);
  expect(kinds.filter(k => k === 'stateful')).toHaveLength(2);
  expect(kinds.filter(k => k === 'stateless')).toHaveLength(18);
});

test('the hand-written contender writes byte-identical YAML to the library', () => {
  const library = synth(buildLibrary, N);
  const handwritten = synth(buildHandwritten, N);
  // per stateless service: Deployment, Service, PDB, two ConfigMaps; per stateful: StatefulSet, headless Service, PDB
  expect(library.objects).toHaveLength(18 * 5 + 2 * 3);
  expect(library.objects.map(o => o.kind)).toEqual(handwritten.objects.map(o => o.kind));
  expect(handwritten.yaml).toEqual(library.yaml);
});
