/**
 * User-perceived synth time: the whole `cdk8s synth` of a small app, as an app
 * team runs it (the cdk8s CLI, `npx ts-node main.ts` with type checks, the
 * packed library installed from its tarball), against the same app written by
 * hand in cdk8s-plus-27; and the time to load the library's module against
 * cdk8s-plus-27's.
 *
 *   BENCH_CLI=1 npx projen bench      # only this part (3 to 12 minutes on 2 shared cores)
 *
 * Knobs: BENCH_CLI_WORKLOADS (10: the first N workloads of the mix, see
 * mix.ts), BENCH_CLI_PAIRS (11), BENCH_CLI_TRANSPILE_PAIRS (5),
 * BENCH_CLI_LOAD_PAIRS (21).
 *
 * Both apps live in one app directory (same node_modules, same tsconfig.json
 * of `cdk8s init typescript-app`), their code is the benchmark's two
 * contenders (contenders/library.ts, contenders/handwritten.ts), and both
 * write byte-identical YAML, which is checked.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliSynthResult, TARGETS, TypeCheckWork } from './report';
import { CDK8S_CLI, childEnv, createConsumerApp, packLibrary } from '../test/ecosystem/support/consumer-app';

const BENCH = __dirname;
const APP_DIR = path.join(BENCH, 'out', 'cli-app');

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`);
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A contender's source as app code: imports from the package instead of src/. */
function asAppCode(file: string): string {
  return fs.readFileSync(file, 'utf8')
    .replace(/from '\.\.\/\.\.\/src\/[^']+'/g, 'from \'cdk8s-container-patterns\'')
    .replace(/from '\.\.\/mix'/g, 'from \'./mix\'');
}

function mainFile(contender: string, workloads: number): string {
  return [
    'import { App, Chart } from \'cdk8s\';',
    `import { build } from './${contender}';`,
    'import { CHART_ID } from \'./mix\';',
    '',
    'const app = new App();',
    `build(new Chart(app, CHART_ID), ${workloads});`,
    'app.synth();',
    '',
  ].join('\n');
}

/** Lays out the app with both contenders, the library installed from `tarball`. */
function prepareApp(workloads: number, tarball: string): void {
  fs.rmSync(APP_DIR, { recursive: true, force: true });
  fs.mkdirSync(APP_DIR, { recursive: true });
  createConsumerApp(APP_DIR, { tarball });
  fs.writeFileSync(path.join(APP_DIR, 'mix.ts'), fs.readFileSync(path.join(BENCH, 'mix.ts'), 'utf8'));
  for (const c of ['library', 'handwritten']) {
    fs.writeFileSync(path.join(APP_DIR, `${c}.ts`), asAppCode(path.join(BENCH, 'contenders', `${c}.ts`)));
    fs.writeFileSync(path.join(APP_DIR, `main-${c}.ts`), mainFile(c, workloads));
  }
}

interface SynthRun {
  readonly wallS: number;
  /** User + system CPU time of the CLI and every process it started (npx, ts-node, the app), in seconds. */
  readonly cpuS: number;
  readonly sha256: string;
}

/** "0m1.234s" (bash's `times`) in seconds. */
function bashSeconds(t: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  if (!m) throw new Error(`unexpected time ${JSON.stringify(t)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * One `cdk8s synth` of `main-<contender>.ts`, timed from outside as a user
 * sees it. It runs under bash, whose `times` then reports the CPU time of all
 * the processes the synth started.
 */
function synthOnce(contender: string, transpileOnly: boolean): SynthRun {
  const outdir = path.join('dist', contender);
  const command = `npx ts-node${transpileOnly ? ' --transpile-only' : ''} main-${contender}.ts`;
  const log = path.join(APP_DIR, `synth-${contender}.log`);
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', '"$@" >"$SYNTH_LOG" 2>&1; rc=$?; times; exit $rc', 'bash',
    CDK8S_CLI, 'synth', '--app', command, '--output', outdir], { cwd: APP_DIR, encoding: 'utf8', env: childEnv({ SYNTH_LOG: log }) });
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`cdk8s synth of ${contender} failed (exit ${r.status}):\n${fs.readFileSync(log, 'utf8')}${r.stderr}`);
  const children = r.stdout.trim().split('\n')[1].trim().split(/\s+/).map(bashSeconds);
  const h = createHash('sha256');
  const dir = path.join(APP_DIR, outdir);
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return { wallS, cpuS: children[0] + children[1], sha256: h.digest('hex') };
}

/** Alternating pairs of library / hand-written synths; the ratio is the median of the pairs' ratios. */
function synthPairs(pairs: number, transpileOnly: boolean) {
  const library: SynthRun[] = [];
  const handwritten: SynthRun[] = [];
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? ['library', 'handwritten'] : ['handwritten', 'library'];
    for (const c of order) (c === 'library' ? library : handwritten).push(synthOnce(c, transpileOnly));
    process.stderr.write('.');
  }
  const ratios = library.map((l, i) => l.wallS / handwritten[i].wallS);
  return {
    libraryS: median(library.map(r => r.wallS)),
    handwrittenS: median(handwritten.map(r => r.wallS)),
    ratio: median(ratios),
    pairedRatios: ratios,
    libraryCpuS: median(library.map(r => r.cpuS)),
    handwrittenCpuS: median(handwritten.map(r => r.cpuS)),
    cpuRatio: median(library.map((l, i) => l.cpuS / handwritten[i].cpuS)),
    identicalOutput: [...library, ...handwritten].every(r => r.sha256 === library[0].sha256),
  };
}

/**
 * Milliseconds to `require(module)` in a fresh Node process started in the app
 * directory: wall clock, and CPU time of the process (which other processes on
 * the machine do not inflate).
 */
function loadOnce(module: string): { wallMs: number; cpuMs: number } {
  const script = 'const c = process.cpuUsage(); const t = process.hrtime.bigint(); require(process.argv[1]); '
    + 'const w = Number(process.hrtime.bigint() - t) / 1e6; const u = process.cpuUsage(c); '
    + 'process.stdout.write(JSON.stringify({ wallMs: w, cpuMs: (u.user + u.system) / 1e3 }));';
  const r = spawnSync(process.execPath, ['-e', script, module], { cwd: APP_DIR, encoding: 'utf8', env: childEnv() });
  if (r.status !== 0) throw new Error(`require('${module}') failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function loadPairs(pairs: number) {
  const library: { wallMs: number; cpuMs: number }[] = [];
  const plus: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      library.push(loadOnce('cdk8s-container-patterns'));
      plus.push(loadOnce('cdk8s-plus-27'));
    } else {
      plus.push(loadOnce('cdk8s-plus-27'));
      library.push(loadOnce('cdk8s-container-patterns'));
    }
  }
  const libraryMs = median(library.map(x => x.wallMs));
  const plusMs = median(plus.map(x => x.wallMs));
  const libraryCpuMs = median(library.map(x => x.cpuMs));
  const plusCpuMs = median(plus.map(x => x.cpuMs));
  return {
    libraryMs,
    plusMs,
    addedMs: libraryMs - plusMs,
    libraryCpuMs,
    plusCpuMs,
    addedCpuMs: libraryCpuMs - plusCpuMs,
    libraryRunsMs: library.map(x => x.wallMs),
    plusRunsMs: plus.map(x => x.wallMs),
  };
}

/**
 * What type-checking `main-<contender>.ts` costs the compiler, from
 * `tsc --extendedDiagnostics` with the app's tsconfig.json: counts that do not
 * depend on the machine's load (files, lines of declarations, types,
 * instantiations) and the check time.
 */
function typeCheckWork(contender: string): TypeCheckWork {
  const config = path.join(APP_DIR, `tsconfig.${contender}.json`);
  // typeRoots: only the app's own @types, as in an app of its own (this one sits inside the library's checkout,
  // whose node_modules/@types would otherwise be type-checked too)
  fs.writeFileSync(config, JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, typeRoots: ['./node_modules/@types'] },
    include: [],
    files: [`main-${contender}.ts`],
  }));
  const tsc = path.join(APP_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', config, '--extendedDiagnostics'], { cwd: APP_DIR, encoding: 'utf8', env: childEnv() });
  // @types/node 14 (what cdk8s init installs) does not type-check against TypeScript 5.9's own
  // declarations; ts-node reports only the app's files, so only errors elsewhere count here
  const errors = r.stdout.split('\n').filter(l => /error TS\d+/.test(l) && !l.startsWith('node_modules/@types/node/'));
  if (errors.length > 0 || r.error || !/^Check time:/m.test(r.stdout)) {
    throw new Error(`tsc of main-${contender}.ts failed:\n${r.stdout}${r.stderr}`);
  }
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(r.stdout);
    if (!m) throw new Error(`tsc --extendedDiagnostics printed no "${name}":\n${r.stdout}`);
    return Number(m[1]);
  };
  return {
    files: field('Files'),
    definitionLines: field('Lines of Definitions'),
    types: field('Types'),
    instantiations: field('Instantiations'),
    checkS: field('Check time'),
  };
}

/**
 * The whole `cdk8s synth` of the small app, and the module load.
 * @param tarball the packed library @default - the library packed now (from `lib/`, which must be compiled from the current `src/`)
 */
export function runCliSynthBench(tarball?: string): CliSynthResult {
  const workloads = positiveInt('BENCH_CLI_WORKLOADS', 10);
  const pairs = positiveInt('BENCH_CLI_PAIRS', 11);
  const transpilePairs = positiveInt('BENCH_CLI_TRANSPILE_PAIRS', 5);
  const loadPairCount = positiveInt('BENCH_CLI_LOAD_PAIRS', 21);
  const loadBefore = os.loadavg()[0];
  process.stderr.write(`cdk8s synth of a ${workloads}-workload app: installing the packed library and the app in ${path.relative(process.cwd(), APP_DIR)}\n`);
  prepareApp(workloads, tarball ?? packLibrary(path.join(BENCH, 'out')));
  // one untimed synth each, so that npx and the file system caches are warm for both
  synthOnce('library', false);
  synthOnce('handwritten', false);
  process.stderr.write(`${pairs} pairs with type checks `);
  const typeChecked = synthPairs(pairs, false);
  process.stderr.write(` ${transpilePairs} pairs with --transpile-only `);
  const transpileOnly = synthPairs(transpilePairs, true);
  process.stderr.write(` module load, ${loadPairCount} pairs`);
  const load = loadPairs(loadPairCount);
  process.stderr.write(', type-check work\n');
  const typeCheck = { library: typeCheckWork('library'), handwritten: typeCheckWork('handwritten') };
  const objects = fs.readdirSync(path.join(APP_DIR, 'dist', 'library'))
    .map(f => fs.readFileSync(path.join(APP_DIR, 'dist', 'library', f), 'utf8').split(/^---$/m).length).reduce((a, b) => a + b, 0);
  return {
    generatedAt: new Date().toISOString(),
    loadBefore,
    loadAfter: os.loadavg()[0],
    workloads,
    objects,
    pairs,
    transpilePairs,
    typeChecked,
    transpileOnly,
    load,
    typeCheck,
    ratioPass: typeChecked.ratio <= TARGETS.maxCliSynthRatio,
    loadPass: load.addedMs <= TARGETS.maxAddedLoadMs,
    loadCpuPass: load.addedCpuMs <= TARGETS.maxAddedLoadMs,
  };
}

