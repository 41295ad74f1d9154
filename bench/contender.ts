/**
 * One measured run of one contender, in a process of its own:
 *
 *   node bench/out/build/bench/contender.js <library|handwritten|library-checks-off|floor> <n> <outdir>
 *
 * Phases (wall clock, in this process):
 * - load: requiring cdk8s, cdk8s-plus-27 and the contender's code;
 * - construct: building the constructs of the n workloads;
 * - toJson: `app.synth()` up to the YAML: every construct's validations
 *   (the library's pod rules run here; cdk8s validates the app when the synth
 *   starts and again for the chart), then the chart's objects as JSON;
 * - yaml: the rest of `app.synth()`, from the call of `Yaml.save` (the `yaml`
 *   package, cdk8s's options) to the written file.
 * The floor only has the yaml phase, over objects loaded (untimed) from the
 * JSON dump the library run leaves behind.
 *
 * Prints one line of JSON: the phases, peak RSS, and the sha256 of the YAML.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { performance, PerformanceObserver } from 'perf_hooks';
import { CHECKS_OFF, switchOffChecks } from './checks-off';

/** What one run reports. */
export interface RunResult {
  readonly contender: string;
  readonly n: number;
  readonly loadS: number;
  readonly constructS: number;
  readonly toJsonS: number;
  readonly yamlS: number;
  /** construct + toJson + yaml: the synthesis itself, without module loading. */
  readonly wallS: number;
  /** User + system CPU time of the process over the measured phases (GC threads included), in seconds. */
  readonly cpuS: number;
  /**
   * CPU time of the main (JavaScript) thread alone over the measured phases,
   * in seconds: the synthesis itself, without concurrent GC and compiler
   * threads, and not inflated by other processes (Linux; wall time otherwise).
   */
  readonly mainThreadCpuS: number;
  /** Time the main thread was ready to run but waited for a CPU (other processes), in seconds (Linux; 0 otherwise). */
  readonly runQueueWaitS: number;
  /** Peak resident set size of the process, in MB (1e6 bytes). */
  readonly rssMB: number;
  /** Time spent in garbage collection pauses during construct, toJson and yaml, in seconds. */
  readonly gcS: { readonly construct: number; readonly toJson: number; readonly yaml: number };
  /** V8 heap in use at the end, in MB. */
  readonly heapUsedMB: number;
  readonly objects: number;
  readonly yamlBytes: number;
  readonly sha256: string;
}

/** cdk8s's YAML options (cdk8s/lib/yaml.js), for the floor. */
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

/** GC pauses, collected as they are reported and summed by phase afterwards. */
const gcPauses: { start: number; duration: number }[] = [];
const gcObserver = new PerformanceObserver(list => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });

/** Seconds of GC pauses that started between the marks `from` and `to` (performance.now() values). */
function gcSeconds(from: number, to: number): number {
  return gcPauses.filter(g => g.start >= from && g.start < to).reduce((sum, g) => sum + g.duration, 0) / 1000;
}

/** Waits until pending GC entries have been delivered to the observer. */
async function flushGcEntries(): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 20));
}

function seconds(from: bigint, to: bigint): number {
  return Number(to - from) / 1e9;
}

/** [on-CPU ns, run-queue wait ns] of the main thread, from /proc; undefined off Linux. */
function mainThreadSchedstat(): [number, number] | undefined {
  try {
    const [run, wait] = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [run, wait];
  } catch {
    return undefined;
  }
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1e6;
}

function finish(r: Omit<RunResult, 'rssMB' | 'heapUsedMB' | 'wallS' | 'gcS' | 'mainThreadCpuS' | 'runQueueWaitS'>, marks: number[],
  sched: { start?: [number, number]; end?: [number, number] }): RunResult {
  const wallS = r.constructS + r.toJsonS + r.yamlS;
  const { start, end } = sched;
  return {
    ...r,
    mainThreadCpuS: start && end ? (end[0] - start[0]) / 1e9 : wallS,
    runQueueWaitS: start && end ? (end[1] - start[1]) / 1e9 : 0,
    wallS,
    rssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    heapUsedMB: process.memoryUsage().heapUsed / 1e6,
    gcS: { construct: gcSeconds(marks[0], marks[1]), toJson: gcSeconds(marks[1], marks[2]), yaml: gcSeconds(marks[2], marks[3]) },
  };
}

async function synthesize(contender: string, n: number, outdir: string, dump: boolean): Promise<RunResult> {
  const t0 = process.hrtime.bigint();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  const mix: typeof import('./mix') = require('./mix');
  if (contender === CHECKS_OFF) switchOffChecks();
  const { build }: typeof import('./contenders/library') = contender === 'handwritten' ? require('./contenders/handwritten') : require('./contenders/library');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const t1 = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const schedStart = mainThreadSchedstat();
  const marks = [performance.now()];

  const app = new cdk8s.App({ outdir });
  const chart = new cdk8s.Chart(app, mix.CHART_ID);
  build(chart, n);
  const t2 = process.hrtime.bigint();
  marks.push(performance.now());

  // the app's own synth (validations, every chart's objects as JSON, YAML, the file); the
  // phase between toJson and yaml is taken where it hands the objects to Yaml.save
  let objects: any[] = [];
  let t3 = t2;
  const save = cdk8s.Yaml.save;
  cdk8s.Yaml.save = (filePath: string, docs: any[]) => {
    t3 = process.hrtime.bigint();
    marks.push(performance.now());
    objects = docs;
    save.call(cdk8s.Yaml, filePath, docs);
  };
  app.synth();
  const t4 = process.hrtime.bigint();
  const cpuS = cpuSeconds(cpuStart);
  const schedEnd = mainThreadSchedstat();
  marks.push(performance.now());
  cdk8s.Yaml.save = save;
  if (marks.length !== 4) throw new Error(`app.synth() was expected to write one file, and called Yaml.save ${marks.length - 2} times`);
  const yaml = fs.readFileSync(path.join(outdir, `${mix.CHART_ID}.k8s.yaml`), 'utf8');
  await flushGcEntries();

  const result = finish({
    contender,
    n,
    loadS: seconds(t0, t1),
    constructS: seconds(t1, t2),
    toJsonS: seconds(t2, t3),
    yamlS: seconds(t3, t4),
    objects: objects.length,
    yamlBytes: Buffer.byteLength(yaml),
    cpuS,
    sha256: createHash('sha256').update(yaml).digest('hex'),
  }, marks, { start: schedStart, end: schedEnd });
  if (dump) {
    // after the measurement: one JSON object a line, for the floor
    const fd = fs.openSync(path.join(outdir, 'objects.ndjson'), 'w');
    for (const o of objects) fs.writeSync(fd, `${JSON.stringify(o)}\n`);
    fs.closeSync(fd);
  }
  return result;
}

async function floor(n: number, outdir: string, objectsFile: string): Promise<RunResult> {
  const t0 = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const YAML: typeof import('yaml') = require('yaml');
  const t1 = process.hrtime.bigint();
  const objects = fs.readFileSync(objectsFile, 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l));

  const t2 = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const schedStart = mainThreadSchedstat();
  const start = performance.now();
  const yaml = objects.map(o => YAML.stringify(o, CDK8S_YAML_OPTIONS)).join('---\n');
  fs.writeFileSync(path.join(outdir, 'floor.k8s.yaml'), yaml, 'utf8');
  const t3 = process.hrtime.bigint();
  const cpuS = cpuSeconds(cpuStart);
  const schedEnd = mainThreadSchedstat();
  const end = performance.now();
  await flushGcEntries();

  return finish({
    contender: 'floor',
    n,
    loadS: seconds(t0, t1),
    constructS: 0,
    toJsonS: 0,
    yamlS: seconds(t2, t3),
    objects: objects.length,
    yamlBytes: Buffer.byteLength(yaml),
    cpuS,
    sha256: createHash('sha256').update(yaml).digest('hex'),
  }, [start, start, start, end], { start: schedStart, end: schedEnd });
}

async function main(): Promise<void> {
  const [contender, nText, outdir, extra] = process.argv.slice(2);
  const n = Number(nText);
  fs.mkdirSync(outdir, { recursive: true });
  let result: RunResult;
  if (contender === 'library' || contender === 'handwritten' || contender === CHECKS_OFF) {
    result = await synthesize(contender, n, outdir, extra === 'dump');
  } else if (contender === 'floor') {
    result = await floor(n, outdir, extra);
  } else {
    throw new Error(`unknown contender ${JSON.stringify(contender)}: use library, handwritten, ${CHECKS_OFF} or floor`);
  }
  gcObserver.disconnect();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
