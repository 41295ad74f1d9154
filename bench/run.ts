/**
 * Synthesis benchmark: the library vs the same manifests hand-written with
 * cdk8s-plus-27 vs the cost of serializing them to YAML (the floor).
 *
 *   npx projen bench                       # BENCH_SIZES=100,1000,10000
 *   BENCH_SIZES=100,1000 npx projen bench
 *   BENCH_REPEATS=7 npx projen bench       # repetitions per size (default 11 up to N = 1000, else 5)
 *   BENCH_PROFILE=1 npx projen bench       # also write CPU profiles to bench/out/profiles/
 *   BENCH_RUNTIME=1 npx projen bench       # only the runtime cost of the patterns (see runtime.ts)
 *   BENCH_CLI=1 npx projen bench           # only the whole `cdk8s synth` of a small app and module load (see cli-synth.ts)
 *   BENCH_INSTRUCTIONS=1 npx projen bench  # only the synthesis counted in instructions, N = 1000 unless BENCH_SIZES (see instructions.ts)
 *
 * Every run of every contender is a fresh Node process running plain
 * JavaScript (compiled first by build.ts), so module loading, compilation and
 * memory never leak from one contender into another.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUILD, buildContenders, OUT } from './build';
import { CHECKS_OFF } from './checks-off';
import { runCliSynthBench } from './cli-synth';
import { runInstructionBench } from './instructions';
import type { RunResult } from './contender';
import { parseSizes } from './mix';
import { packLibrary } from '../test/ecosystem/support/consumer-app';
import {
  ContenderSummary, machine, readResults, renderCliSynthText, renderText, Results, SizeResult, TARGETS, writeResults,
} from './report';

const CONTENDER_JS = path.join(BUILD, 'bench', 'contender.js');
/** The size at which the library also runs with its checks switched off. */
const CHECKS_OFF_SIZE = 1000;
const PROFILES = path.join(OUT, 'profiles');

function runContender(contender: string, n: number, outdir: string, extra: string | undefined, profile: boolean): RunResult {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // no ts-node or other hooks in the measured process
  const args = [
    ...(profile ? ['--cpu-prof', '--cpu-prof-dir', PROFILES, '--cpu-prof-name', `${contender}-${n}-${Date.now()}.cpuprofile`] : []),
    CONTENDER_JS, contender, String(n), outdir, ...(extra ? [extra] : []),
  ];
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${contender} at N = ${n} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.stderr}${r.error ?? ''}`);
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function summarize(runs: RunResult[]): ContenderSummary {
  const best = runs.reduce((a, b) => (b.wallS < a.wallS ? b : a));
  return { ...best, wallRuns: runs.map(r => r.wallS), rssRuns: runs.map(r => r.rssMB) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function benchSize(n: number, repetitions: number, profile: boolean, withChecksOff: boolean): SizeResult {
  const dir = (c: string) => path.join(OUT, 'run', String(n), c);
  const runs: Record<string, RunResult[]> = { library: [], handwritten: [], floor: [], [CHECKS_OFF]: [] };
  // the library with its checks switched off, where the ratio target is hardest (see checks-off.ts)
  const contenders = withChecksOff ? ['library', 'handwritten', CHECKS_OFF] : ['library', 'handwritten'];
  for (let r = 0; r < repetitions; r++) {
    // rotate the order, so that no contender always runs right after another
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) {
      runs[c].push(runContender(c, n, dir(c), c === 'library' && r === 0 ? 'dump' : undefined, profile && r === 0));
      process.stderr.write('.');
    }
    runs.floor.push(runContender('floor', n, dir('floor'), path.join(dir('library'), 'objects.ndjson'), profile && r === 0));
    process.stderr.write('.');
  }
  const library = summarize(runs.library);
  const handwritten = summarize(runs.handwritten);
  const floor = summarize(runs.floor);
  const all = [...runs.library, ...runs.handwritten, ...runs.floor];
  const identicalOutput = all.filter(x => x.contender !== 'floor').every(x => x.sha256 === library.sha256);
  const floorIdenticalOutput = runs.floor.every(x => x.sha256 === library.sha256);
  // peak RSS varies little between runs; the median is steadier than the best-wall run's
  const libraryRssMB = median(library.rssRuns);
  const handwrittenRssMB = median(handwritten.rssRuns);
  // each repetition runs the two contenders back to back, so a burst of load
  // from other processes hits both runs of a pair alike: the median of the
  // pairs' ratios is steadier than the ratio of two best runs taken minutes apart
  // each run of `of` over the hand-written run of the same repetition
  const paired = (of: RunResult[], pick: (x: RunResult) => number) => of.map((x, r) => pick(x) / pick(runs.handwritten[r]));
  const pairedWallRatios = paired(runs.library, x => x.wallS);
  const wallRatio = median(pairedWallRatios);
  const rssRatio = libraryRssMB / handwrittenRssMB;
  const targeted = TARGETS.ratioSizes.includes(n);
  const checksOffRuns = runs[CHECKS_OFF];
  const checksOffWallRatios = paired(checksOffRuns, x => x.wallS);
  const checksOff = checksOffRuns.length === 0 ? undefined : {
    wallRatio: median(checksOffWallRatios),
    pairedWallRatios: checksOffWallRatios,
    cpuRatio: median(paired(checksOffRuns, x => x.mainThreadCpuS)),
    libraryCpuRatio: median(paired(runs.library, x => x.mainThreadCpuS)),
    identicalOutput: checksOffRuns.every(x => x.sha256 === library.sha256),
    summary: summarize(checksOffRuns),
  };
  return {
    n,
    repetitions,
    objects: library.objects,
    yamlBytes: library.yamlBytes,
    libraryWallS: library.wallS,
    handwrittenWallS: handwritten.wallS,
    floorWallS: floor.wallS,
    libraryRssMB,
    handwrittenRssMB,
    floorRssMB: median(floor.rssRuns),
    wallRatio,
    pairedWallRatios,
    bestWallRatio: library.wallS / handwritten.wallS,
    cpuRatio: library.mainThreadCpuS / handwritten.mainThreadCpuS,
    processCpuRatio: library.cpuS / handwritten.cpuS,
    rssRatio,
    floorRatio: library.wallS / floor.wallS,
    identicalOutput,
    floorIdenticalOutput,
    sha256: library.sha256,
    wallRatioPass: targeted ? wallRatio <= TARGETS.maxWallRatio : undefined,
    rssRatioPass: targeted ? rssRatio <= TARGETS.maxRssRatio : undefined,
    library,
    handwritten,
    floor,
    checksOff,
  };
}

async function main(): Promise<void> {
  if (process.env.BENCH_RUNTIME === '1') {
    // compiled like the contenders, so that ts-node never has to compile the library here
    buildContenders();
    const r = spawnSync(process.execPath, [path.join(BUILD, 'bench', 'runtime.js')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`the runtime benchmark failed (exit ${r.status})`);
    return;
  }
  if (process.env.BENCH_INSTRUCTIONS === '1') {
    buildContenders();
    await runInstructionBench(process.env.BENCH_SIZES === undefined ? [1000] : parseSizes(process.env.BENCH_SIZES));
    return;
  }
  if (process.env.BENCH_CLI === '1') {
    const cliSynth = runCliSynthBench();
    const merged = { ...readResults(), cliSynth };
    writeResults(merged);
    process.stdout.write(`${renderCliSynthText(cliSynth)}\n`);
    return;
  }
  const sizes = parseSizes(process.env.BENCH_SIZES);
  const fixedRepetitions = process.env.BENCH_REPEATS === undefined ? undefined : Number(process.env.BENCH_REPEATS);
  if (fixedRepetitions !== undefined && (!Number.isInteger(fixedRepetitions) || fixedRepetitions < 1)) {
    throw new Error(`BENCH_REPEATS must be a positive integer (got ${process.env.BENCH_REPEATS})`);
  }
  // small sizes are cheap and noisier: more repetitions (an odd number, so the median is one pair)
  const repetitionsFor = (n: number) => fixedRepetitions ?? (n <= 1000 ? 11 : 5);
  const profile = process.env.BENCH_PROFILE === '1';
  if (profile) fs.mkdirSync(PROFILES, { recursive: true });

  // packed first: a stale lib/ fails now rather than after the synthesis runs, and
  // the whole-synth part installs the code those runs measured
  const tarball = packLibrary(OUT);
  const files = buildContenders();
  process.stderr.write(`compiled ${files} files to ${path.relative(process.cwd(), BUILD)}\n`);
  const loadBefore = os.loadavg()[0];
  const results: SizeResult[] = [];
  for (const n of sizes) {
    const repetitions = repetitionsFor(n);
    process.stderr.write(`N = ${n}, ${repetitions} repetition(s) `);
    const r = benchSize(n, repetitions, profile, n === CHECKS_OFF_SIZE);
    process.stderr.write(` library ${r.libraryWallS.toFixed(2)} s, hand-written ${r.handwrittenWallS.toFixed(2)} s, floor ${r.floorWallS.toFixed(2)} s\n`);
    results.push(r);
  }

  const byN = new Map(results.map(r => [r.n, r]));
  const r1k = byN.get(1000);
  const r10k = byN.get(10000);
  const scalingRatio = r1k && r10k ? r10k.libraryWallS / r1k.libraryWallS : undefined;
  const out: Results = {
    generatedAt: new Date().toISOString(),
    machine: machine(loadBefore, os.loadavg()[0]),
    sizes: results,
    scaling: scalingRatio === undefined ? undefined : {
      from: 1000,
      to: 10000,
      libraryTimeRatio: scalingRatio,
      pass: scalingRatio <= TARGETS.maxScaling,
    },
    at10000: r10k && {
      libraryWallS: r10k.libraryWallS,
      libraryRssMB: r10k.libraryRssMB,
      wallPass: r10k.libraryWallS < TARGETS.maxWallS,
      rssPass: r10k.libraryRssMB < TARGETS.maxRssMB,
    },
    runtime: readResults().runtime,
    cliSynth: runCliSynthBench(tarball),
  };
  writeResults(out);
  process.stdout.write(`${renderText(out)}\n${renderCliSynthText(out.cliSynth!)}\n`);
  if (results.some(r => !r.identicalOutput)) {
    process.stdout.write('WARNING: the library and the hand-written program wrote different YAML; the comparison is not like for like.\n');
  }
  if (profile) process.stdout.write(`CPU profiles: ${path.relative(process.cwd(), PROFILES)}\n`);
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
