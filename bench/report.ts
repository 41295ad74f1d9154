/**
 * The shape of bench/results.json, the targets, and the rendering of the
 * stdout table and of bench/RESULTS.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunResult } from './contender';

/** bench/, also when this file runs compiled from bench/out/build/bench/. */
const BENCH_DIR = path.basename(path.resolve(__dirname, '..')) === 'build' ? path.resolve(__dirname, '..', '..', '..') : __dirname;

export const RESULTS_JSON = path.join(BENCH_DIR, 'results.json');
export const RESULTS_MD = path.join(BENCH_DIR, 'RESULTS.md');

/** The targets the benchmark reports on (nothing fails a build on them). */
export const TARGETS = {
  /** Sizes at which the library is compared with the hand-written program. */
  ratioSizes: [1000, 10000],
  maxWallRatio: 1.10,
  maxRssRatio: 1.15,
  /** time(10000) / time(1000) of the library. */
  maxScaling: 11,
  /** At N = 10000. */
  maxWallS: 20,
  maxRssMB: 1500,
  /** Whole `cdk8s synth` of a small app (CLI, ts-node, library) / the same app hand-written. */
  maxCliSynthRatio: 1.05,
  /** Module load time of the library above cdk8s-plus-27's, in ms. */
  maxAddedLoadMs: 50,
  /** Ambassador: added p50 latency and kept throughput. */
  maxAddedP50Ms: 0.2,
  minThroughputRatio: 0.8,
};

/** One contender at one size: the best run (lowest wall time) and all runs. */
export interface ContenderSummary extends RunResult {
  /** Wall time of every repetition, in run order. */
  readonly wallRuns: number[];
  /** Peak RSS of every repetition, in MB. */
  readonly rssRuns: number[];
}

/** One size. */
export interface SizeResult {
  readonly n: number;
  readonly repetitions: number;
  readonly objects: number;
  readonly yamlBytes: number;
  readonly libraryWallS: number;
  readonly handwrittenWallS: number;
  readonly floorWallS: number;
  readonly libraryRssMB: number;
  readonly handwrittenRssMB: number;
  readonly floorRssMB: number;
  /**
   * library / hand-written, wall time: the median, over the repetitions, of
   * the ratio of the two runs made back to back in that repetition.
   */
  readonly wallRatio: number;
  /** library / hand-written wall time of each repetition, in run order. */
  readonly pairedWallRatios: number[];
  /** Best library run / best hand-written run (libraryWallS / handwrittenWallS). */
  readonly bestWallRatio: number;
  /**
   * library / hand-written, CPU time of the main thread (best run of each):
   * the comparison that other processes on the machine do not distort.
   */
  readonly cpuRatio: number;
  /** library / hand-written, CPU time of the whole process (GC and compiler threads included). */
  readonly processCpuRatio: number;
  /** library / hand-written, peak RSS. */
  readonly rssRatio: number;
  /** library / floor, wall time. */
  readonly floorRatio: number;
  /** The library and the hand-written program wrote byte-identical YAML. */
  readonly identicalOutput: boolean;
  /** The floor wrote the same bytes too (it serializes the library's objects). */
  readonly floorIdenticalOutput: boolean;
  readonly sha256: string;
  /** Pass/fail of the ratio targets (only at the sizes of TARGETS.ratioSizes). */
  readonly wallRatioPass?: boolean;
  readonly rssRatioPass?: boolean;
  readonly library: ContenderSummary;
  readonly handwritten: ContenderSummary;
  readonly floor: ContenderSummary;
  /** The library with its shared checks switched off (see checks-off.ts), at one size only. */
  readonly checksOff?: ChecksOffResult;
}

/** The "checks off" contender against the hand-written program, in the same repetitions. */
export interface ChecksOffResult {
  /** checks off / hand-written, wall time: the median of the repetitions' ratios. */
  readonly wallRatio: number;
  readonly pairedWallRatios: number[];
  /** checks off / hand-written, main-thread CPU time: the median of the repetitions' ratios. */
  readonly cpuRatio: number;
  /** library / hand-written, main-thread CPU time, computed the same way, for comparison. */
  readonly libraryCpuRatio: number;
  /** It wrote the same bytes as the library. */
  readonly identicalOutput: boolean;
  readonly summary: ContenderSummary;
}

/** One latency/throughput comparison of the runtime benchmark. */
export interface RuntimeCase {
  readonly name: string;
  readonly description: string;
  readonly directP50Ms: number;
  readonly directP99Ms: number;
  readonly proxiedP50Ms: number;
  readonly proxiedP99Ms: number;
  readonly addedP50Ms: number;
  readonly addedP99Ms: number;
  readonly directRps: number;
  readonly proxiedRps: number;
  readonly throughputRatio: number;
  /** CPU time of the proxy (all its processes) per request during the throughput run, in microseconds. */
  readonly proxyCpuUsPerRequest?: number;
  /** CPU time of the app (the upstream nginx) per request during the throughput run, in microseconds. */
  readonly appCpuUsPerRequest?: number;
  /** CPU time of the load generator per request during the throughput run, in microseconds. */
  readonly clientCpuUsPerRequest?: number;
  /** Whether the ambassador targets apply to this case. */
  readonly targeted: boolean;
  readonly addedP50Pass?: boolean;
  readonly throughputPass?: boolean;
}

export interface RuntimeResult {
  readonly generatedAt: string;
  /** CPU per request of the app and of the load generator without a proxy, in microseconds. */
  readonly direct?: { readonly appCpuUsPerRequest: number; readonly clientCpuUsPerRequest: number };
  readonly method: string;
  readonly programs: { readonly haproxy: string; readonly nginx: string };
  readonly latencySeconds: number;
  readonly throughputSeconds: number;
  readonly throughputConnections: number;
  readonly cases: RuntimeCase[];
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryGB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average before and after the synthesis runs (other processes share the machine). */
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** Alternating pairs of whole `cdk8s synth` runs of the two apps. */
export interface CliSynthPairs {
  /** Median wall time of the library app's synths, in seconds. */
  readonly libraryS: number;
  /** Median wall time of the hand-written app's synths, in seconds. */
  readonly handwrittenS: number;
  /** Median over the pairs of library / hand-written. */
  readonly ratio: number;
  /** library / hand-written of each pair, in run order. */
  readonly pairedRatios: number[];
  /** Median CPU time (user + system) of all the processes of the library app's synths, in seconds. */
  readonly libraryCpuS: number;
  /** The same for the hand-written app. */
  readonly handwrittenCpuS: number;
  /** Median over the pairs of library / hand-written CPU time: the comparison other processes distort least. */
  readonly cpuRatio: number;
  /** Every synth of both apps wrote the same bytes. */
  readonly identicalOutput: boolean;
}

/** What type-checking one app's main.ts costs the compiler (`tsc --extendedDiagnostics`). */
export interface TypeCheckWork {
  readonly files: number;
  readonly definitionLines: number;
  readonly types: number;
  readonly instantiations: number;
  /** Check time, in seconds (this one depends on the machine's load). */
  readonly checkS: number;
}

/** User-perceived synth time (bench/cli-synth.ts). */
export interface CliSynthResult {
  readonly generatedAt: string;
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** Workloads of the app (the first N of the mix). */
  readonly workloads: number;
  readonly objects: number;
  /** Pairs with type checks. */
  readonly pairs: number;
  /** Pairs without. */
  readonly transpilePairs: number;
  /** `npx ts-node main.ts`, as cdk8s.yaml of `cdk8s init` runs it (type checks included). */
  readonly typeChecked: CliSynthPairs;
  /** `npx ts-node --transpile-only main.ts`: the same without type checks. */
  readonly transpileOnly: CliSynthPairs;
  /** `require()` time in a fresh process, in ms (medians over alternating pairs): wall clock and CPU time. */
  readonly load: {
    readonly libraryMs: number;
    readonly plusMs: number;
    readonly addedMs: number;
    readonly libraryCpuMs: number;
    readonly plusCpuMs: number;
    readonly addedCpuMs: number;
    readonly libraryRunsMs: number[];
    readonly plusRunsMs: number[];
  };
  /** The compiler's work for each app's type check. */
  readonly typeCheck: { readonly library: TypeCheckWork; readonly handwritten: TypeCheckWork };
  readonly ratioPass: boolean;
  /** Wall clock: includes time waiting for a CPU on a busy machine. */
  readonly loadPass: boolean;
  /** CPU time: what loading the library costs, whatever else runs. */
  readonly loadCpuPass: boolean;
}

export interface Results {
  readonly generatedAt?: string;
  readonly machine?: Machine;
  readonly sizes: SizeResult[];
  readonly scaling?: { readonly from: number; readonly to: number; readonly libraryTimeRatio: number; readonly pass: boolean };
  readonly at10000?: { readonly libraryWallS: number; readonly libraryRssMB: number; readonly wallPass: boolean; readonly rssPass: boolean };
  readonly runtime?: RuntimeResult;
  readonly cliSynth?: CliSynthResult;
}

export function machine(loadBefore: number, loadAfter: number): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryGB: Math.round(os.totalmem() / 1e8) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadBefore,
    loadAfter,
  };
}

export function readResults(): Results {
  try {
    return JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8'));
  } catch {
    return { sizes: [] };
  }
}

export function writeResults(results: Results): void {
  fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(results, undefined, 2)}\n`);
  fs.writeFileSync(RESULTS_MD, renderMarkdown(results));
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const mb = (x: number) => x.toFixed(0);
const pf = (x?: boolean) => (x === undefined ? '-' : x ? 'pass' : 'FAIL');

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)];
}

/** The summary table (stdout and RESULTS.md). */
export function summaryRows(results: Results): { header: string[]; rows: string[][] } {
  const header = ['N', 'objects', 'library s', 'hand-written s', 'floor s', 'wall ratio', 'wall <= 1.10', 'best / best', 'main-thread CPU ratio',
    'library MB', 'hand-written MB', 'rss ratio', 'rss <= 1.15', 'library / floor', 'identical'];
  const rows = results.sizes.map(s => [
    String(s.n), String(s.objects), f2(s.libraryWallS), f2(s.handwrittenWallS), f2(s.floorWallS), f3(s.wallRatio), pf(s.wallRatioPass),
    f3(s.bestWallRatio ?? s.libraryWallS / s.handwrittenWallS), f3(s.cpuRatio), mb(s.libraryRssMB), mb(s.handwrittenRssMB), f3(s.rssRatio), pf(s.rssRatioPass), f2(s.floorRatio),
    s.identicalOutput ? 'yes' : 'NO',
  ]);
  return { header, rows };
}

function phaseRows(results: Results): { header: string[]; rows: string[][] } {
  const header = ['N', 'contender', 'load s', 'construct s', 'toJson s', 'yaml s', 'wall s', 'GC pauses s', 'main-thread CPU s',
    'waiting for a CPU s', 'process CPU s', 'peak RSS MB', 'wall of each run (s)'];
  const rows: string[][] = [];
  for (const s of results.sizes) {
    for (const c of [s.library, s.handwritten, ...(s.checksOff ? [s.checksOff.summary] : []), s.floor]) {
      rows.push([String(s.n), c.contender, f3(c.loadS), f3(c.constructS), f3(c.toJsonS), f3(c.yamlS), f3(c.wallS),
        f3(c.gcS.construct + c.gcS.toJson + c.gcS.yaml), f3(c.mainThreadCpuS), f3(c.runQueueWaitS), f3(c.cpuS), mb(c.rssMB),
        c.wallRuns.map(f2).join(', ')]);
    }
  }
  return { header, rows };
}

/** Plain-text table for stdout. */
export function renderText(results: Results): string {
  const { header, rows } = summaryRows(results);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const out = [line(header), ...rows.map(line)];
  if (results.scaling) {
    out.push(`scaling: library time(${results.scaling.to}) / time(${results.scaling.from}) = ${f2(results.scaling.libraryTimeRatio)} `
      + `(target <= ${TARGETS.maxScaling}: ${pf(results.scaling.pass)})`);
  }
  if (results.at10000) {
    out.push(`N = 10000: library ${f2(results.at10000.libraryWallS)} s (target < ${TARGETS.maxWallS} s: ${pf(results.at10000.wallPass)}), `
      + `${mb(results.at10000.libraryRssMB)} MB (target < ${TARGETS.maxRssMB} MB: ${pf(results.at10000.rssPass)})`);
  }
  return out.join('\n');
}

function runtimeSection(r: RuntimeResult): string[] {
  const header = ['case', 'direct p50 ms', 'proxied p50 ms', 'added p50 ms', 'p50 target', 'direct p99 ms', 'proxied p99 ms',
    'added p99 ms', 'direct req/s', 'proxied req/s', 'throughput ratio', 'throughput target', 'proxy CPU µs/req', 'app CPU µs/req',
    'load generator CPU µs/req'];
  const rows = r.cases.map(c => [c.name, f3(c.directP50Ms), f3(c.proxiedP50Ms), f3(c.addedP50Ms),
    c.targeted ? `${pf(c.addedP50Pass)} (< ${TARGETS.maxAddedP50Ms})` : '-', f3(c.directP99Ms), f3(c.proxiedP99Ms), f3(c.addedP99Ms),
    c.directRps.toFixed(0), c.proxiedRps.toFixed(0), f2(c.throughputRatio),
    c.targeted ? `${pf(c.throughputPass)} (>= ${TARGETS.minThroughputRatio})` : '-',
    c.proxyCpuUsPerRequest === undefined ? '-' : c.proxyCpuUsPerRequest.toFixed(1),
    c.appCpuUsPerRequest === undefined ? '-' : c.appCpuUsPerRequest.toFixed(1),
    c.clientCpuUsPerRequest === undefined ? '-' : c.clientCpuUsPerRequest.toFixed(1)]);
  const d = r.direct;
  return [
    '## Runtime cost of the patterns',
    '',
    `Run ${r.generatedAt} with HAProxy ${r.programs.haproxy} and nginx ${r.programs.nginx}, on 127.0.0.1 only.`,
    '',
    r.method,
    '',
    ...table(header, rows),
    '',
    ...(d ? [`Without a proxy the app used ${d.appCpuUsPerRequest.toFixed(1)} µs and the load generator ${d.clientCpuUsPerRequest.toFixed(1)} µs `
      + 'of CPU per request.', ''] : []),
    ...r.cases.map(c => `- **${c.name}**: ${c.description}`),
    '',
  ];
}

/** bench/RESULTS.md. */
/** The rows of the whole-synth comparison. */
function cliSynthRows(r: CliSynthResult): { header: string[]; rows: string[][] } {
  const header = ['ts-node', 'pairs', 'library app s', 'hand-written app s', 'wall ratio', 'per pair', 'library CPU s', 'hand-written CPU s',
    'CPU ratio', 'identical'];
  const row = (name: string, n: number, p: CliSynthPairs) => [name, String(n), f2(p.libraryS), f2(p.handwrittenS), f3(p.ratio),
    p.pairedRatios.map(f3).join(', '), f2(p.libraryCpuS), f2(p.handwrittenCpuS), f3(p.cpuRatio), p.identicalOutput ? 'yes' : 'NO'];
  return {
    header,
    rows: [row('type-checked (cdk8s init default)', r.pairs, r.typeChecked), row('--transpile-only', r.transpilePairs, r.transpileOnly)],
  };
}

function typeCheckRows(r: CliSynthResult): { header: string[]; rows: string[][] } {
  const header = ['type check of', 'files', 'lines of declarations', 'types', 'instantiations', 'check s'];
  const row = (name: string, w: TypeCheckWork) => [name, String(w.files), String(w.definitionLines), String(w.types), String(w.instantiations),
    f2(w.checkS)];
  return { header, rows: [row('library app', r.typeCheck.library), row('hand-written app', r.typeCheck.handwritten)] };
}

function cliSynthTargets(r: CliSynthResult): string[] {
  return [
    `- whole \`cdk8s synth\`, library app / hand-written app (median of pairs): ${f3(r.typeChecked.ratio)} (<= ${TARGETS.maxCliSynthRatio}): `
      + `**${pf(r.ratioPass)}**`,
    `- module load, wall clock: \`require('cdk8s-container-patterns')\` ${f2(r.load.libraryMs)} ms vs \`require('cdk8s-plus-27')\` `
      + `${f2(r.load.plusMs)} ms, ${f2(r.load.addedMs)} ms more (<= ${TARGETS.maxAddedLoadMs} ms): **${pf(r.loadPass)}**`,
    `- module load, CPU time: ${f2(r.load.libraryCpuMs)} ms vs ${f2(r.load.plusCpuMs)} ms, ${f2(r.load.addedCpuMs)} ms more `
      + `(<= ${TARGETS.maxAddedLoadMs} ms): **${pf(r.loadCpuPass)}**`,
  ];
}

/** The whole-synth comparison for stdout. */
export function renderCliSynthText(r: CliSynthResult): string {
  const { header, rows } = cliSynthRows(r);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(x => x[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const tc = typeCheckRows(r);
  const tcWidths = tc.header.map((h, i) => Math.max(h.length, ...tc.rows.map(x => x[i].length)));
  const tcLine = (cells: string[]) => cells.map((c, i) => c.padStart(tcWidths[i])).join('  ');
  return [`whole cdk8s synth of a ${r.workloads}-workload app (${r.objects} objects):`, line(header), ...rows.map(line),
    tcLine(tc.header), ...tc.rows.map(tcLine), ...cliSynthTargets(r)].join('\n');
}

function cliSynthSection(r: CliSynthResult): string[] {
  return [
    '## Whole `cdk8s synth` of a small app, as a user runs it',
    '',
    `Run ${r.generatedAt}; load average (1 min) ${r.loadBefore.toFixed(2)} before and ${r.loadAfter.toFixed(2)} after. `
    + `The app holds the first ${r.workloads} workloads of the mix (${r.objects} objects). The library app and the same app written `
    + 'by hand in cdk8s-plus-27 sit in one app directory laid out like `cdk8s init typescript-app`\'s (its tsconfig.json, '
    + '`app: npx ts-node main.ts`), with the library installed from its packed tarball. Each pair runs both `cdk8s synth`s back to '
    + 'back, in alternating order; times are wall clock from outside (CLI, npx, ts-node, module loading, synthesis, writing) '
    + 'and the CPU time of all those processes. Ratios are the median over the pairs of library / hand-written.',
    '',
    ...table(cliSynthRows(r).header, cliSynthRows(r).rows),
    '',
    ...cliSynthTargets(r),
    '',
    'The compiler\'s work for the type check ts-node does (`tsc --extendedDiagnostics` with the app\'s tsconfig.json; the counts do not '
    + 'depend on the machine\'s load):',
    '',
    ...table(typeCheckRows(r).header, typeCheckRows(r).rows),
    '',
    `Module load, in a fresh process each, ${r.load.libraryRunsMs.length} alternating pairs: library runs `
    + `${r.load.libraryRunsMs.map(x => x.toFixed(0)).join(', ')} ms; cdk8s-plus-27 runs ${r.load.plusRunsMs.map(x => x.toFixed(0)).join(', ')} ms. `
    + 'The library\'s figure includes loading cdk8s-plus-27, which it requires.',
    '',
  ];
}

export function renderMarkdown(results: Results): string {
  const m = results.machine;
  const out: string[] = [
    '# Benchmark results',
    '',
    'Generated by `npx projen bench` (see [README.md](README.md) for the method and the analysis). Do not edit by hand.',
    '',
  ];
  if (m && results.sizes.length > 0) {
    out.push(
      `Synthesis run ${results.generatedAt} on ${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGB} GB, Node ${m.node}, ${m.platform}. `
      + `Load average (1 min) ${m.loadBefore.toFixed(2)} before and ${m.loadAfter.toFixed(2)} after: the machine was shared with other work, `
      + 'so each contender\'s figures are those of its best (lowest wall time) repetition. Every repetition runs the library and the '
      + 'hand-written program back to back (in alternating order); "wall ratio" is the median of the repetitions\' library / hand-written '
      + 'ratios, which a burst of load hits on both sides alike, and "best / best" the ratio of the two best runs.',
      '',
      '## Synthesis: library vs hand-written cdk8s-plus-27 vs the YAML floor',
      '',
      'Wall = construct + toJson (validations + rendering) + YAML (stringify + write), in the contender\'s own process, without module loading. '
      + 'Ratios are library / hand-written; "library / floor" is library wall / floor wall.',
      '',
      ...table(summaryRows(results).header, summaryRows(results).rows),
      '',
    );
    const targets: string[] = [];
    if (results.scaling) {
      targets.push(`- Linear scaling: library time(${results.scaling.to}) / time(${results.scaling.from}) = ${f2(results.scaling.libraryTimeRatio)} `
        + `(target <= ${TARGETS.maxScaling}): **${pf(results.scaling.pass)}**`);
    }
    if (results.at10000) {
      targets.push(`- N = 10000 in under ${TARGETS.maxWallS} s: ${f2(results.at10000.libraryWallS)} s: **${pf(results.at10000.wallPass)}**`);
      targets.push(`- N = 10000 in under ${TARGETS.maxRssMB} MB: ${mb(results.at10000.libraryRssMB)} MB: **${pf(results.at10000.rssPass)}**`);
    }
    for (const s of results.sizes.filter(x => x.wallRatioPass !== undefined)) {
      targets.push(`- N = ${s.n}: wall ratio ${f3(s.wallRatio)} (<= ${TARGETS.maxWallRatio}): **${pf(s.wallRatioPass)}** `
        + `(per repetition: ${(s.pairedWallRatios ?? []).map(f3).join(', ')}); `
        + `RSS ratio ${f3(s.rssRatio)} (<= ${TARGETS.maxRssRatio}): **${pf(s.rssRatioPass)}**; `
        + `main-thread CPU ratio ${f3(s.cpuRatio)}, the same comparison without time lost to other processes: ${pf(s.cpuRatio <= TARGETS.maxWallRatio)}`);
    }
    if (targets.length > 0) out.push('### Targets', '', ...targets, '');
    for (const s of results.sizes) {
      const c = s.checksOff;
      if (!c) continue;
      out.push(`### What the checks cost at N = ${s.n}`, '',
        'The same library with its shared checks switched off (bench/checks-off.ts: the shared validators and pattern checks, the '
        + 'cdk8s-plus origin check and the Pod\'s validation at synth; the checks inside the constructors of the patterns and workloads '
        + 'still run), run in the same repetitions as the other two contenders. Ratios are medians over the repetitions, each against '
        + 'the hand-written run of its repetition.', '',
        `- checks off / hand-written: wall ratio ${f3(c.wallRatio)} (per repetition: ${c.pairedWallRatios.map(f3).join(', ')}); `
        + `main-thread CPU ratio ${f3(c.cpuRatio)}, against ${f3(c.libraryCpuRatio)} with the checks on`,
        `- output identical to the library's: ${c.identicalOutput ? 'yes' : 'NO'}`, '');
    }
    out.push('### Phases (best run of each contender)', '', ...table(phaseRows(results).header, phaseRows(results).rows), '');
    out.push(
      `Output: ${results.sizes.map(s => `N = ${s.n}: ${s.objects} objects, ${(s.yamlBytes / 1e6).toFixed(1)} MB of YAML, sha256 ${s.sha256.slice(0, 16)}…`).join('; ')}.`,
      '',
    );
  }
  if (results.cliSynth) out.push(...cliSynthSection(results.cliSynth));
  if (results.runtime) out.push(...runtimeSection(results.runtime));
  out.push(
    '## How to rerun',
    '',
    '```sh',
    'npx projen bench                                # N = 100, 1000, 10000',
    'BENCH_SIZES=100,1000 npx projen bench           # other sizes',
    'BENCH_REPEATS=7 npx projen bench                # repetitions per size (default: 11 up to N = 1000, else 5)',
    'BENCH_PROFILE=1 BENCH_SIZES=1000 npx projen bench  # also write .cpuprofile files to bench/out/profiles/',
    'BENCH_RUNTIME=1 npx projen bench                # only the runtime cost of the patterns (needs haproxy and nginx)',
    'BENCH_CLI=1 npx projen bench                    # only the whole cdk8s synth of a small app and the module load',
    '```',
    '',
  );
  return out.join('\n');
}
