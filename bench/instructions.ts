/**
 * The synthesis cost counted in machine instructions instead of seconds:
 *
 *   BENCH_INSTRUCTIONS=1 npx projen bench            # N = 1000 (about 5 minutes on 2 cores)
 *   BENCH_INSTRUCTIONS=1 BENCH_SIZES=300 npx projen bench
 *
 * Wall and CPU times on a shared machine swing by more than the 10 % the
 * synthesis target leaves. An instruction count does not depend on the load:
 * each contender's run (the same `contender.js` the timed benchmark runs) is
 * counted under valgrind's callgrind, with V8 single-threaded so that the
 * compiler and the garbage collector run on the main thread in a fixed order,
 * which makes the count repeatable to about 0.5 %. The count of a run with no
 * workloads (loading the modules) is subtracted.
 *
 * The count includes the compiler's work, which in a normal run happens on
 * another thread, so it somewhat overstates the share of the contender with
 * more code. It is a measure of work, for comparing two versions of the
 * library or the two contenders, not a prediction of seconds.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUILD, OUT } from './build';

/** One counted run. */
interface Counted {
  readonly contender: string;
  readonly n: number;
  readonly instructions: number;
  readonly sha256?: string;
}

/** Throws with the fix when valgrind is not installed. */
export function assertValgrind(): void {
  const r = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error('BENCH_INSTRUCTIONS=1 counts instructions with valgrind, which is not installed. '
      + 'Fix: apt-get install -y valgrind (or the package of your system).');
  }
}

/** Parses callgrind's "Collected : 123,456" line. */
export function parseCollected(stderr: string): number {
  const m = /Collected\s*:\s*([\d,]+)/.exec(stderr);
  if (!m) throw new Error(`callgrind printed no instruction count:\n${stderr.slice(-2000)}`);
  return Number(m[1].replace(/,/g, ''));
}

function count(contender: string, n: number): Promise<Counted> {
  const outdir = path.join(OUT, 'instructions', `${contender}-${n}`);
  fs.mkdirSync(outdir, { recursive: true });
  const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file',
    process.execPath, '--single-threaded', path.join(BUILD, 'bench', 'contender.js'), contender, String(n), outdir];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0) {
        reject(new Error(`${contender} N = ${n} under valgrind exited with ${code}:\n${stderr.slice(-2000)}`));
        return;
      }
      try {
        const result = JSON.parse(stdout.trim().split('\n').pop()!);
        resolve({ contender, n, instructions: parseCollected(stderr), sha256: n > 0 ? result.sha256 : undefined });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the result. */
async function limited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

const G = (x: number) => (x / 1e9).toFixed(3);

/** Counts both contenders at each size and prints the table; returns the rows. */
export async function runInstructionBench(sizes: number[]): Promise<object[]> {
  assertValgrind();
  const contenders = ['library', 'handwritten'];
  const tasks: (() => Promise<Counted>)[] = [];
  for (const c of contenders) tasks.push(() => count(c, 0));
  for (const n of sizes) for (const c of contenders) tasks.push(() => count(c, n));
  process.stderr.write(`counting ${tasks.length} runs under valgrind, ${Math.max(1, os.cpus().length)} at a time\n`);
  const counted = await limited(tasks, Math.max(1, os.cpus().length));
  const load = new Map(counted.filter(x => x.n === 0).map(x => [x.contender, x.instructions]));

  const rows = sizes.map(n => {
    const of = (c: string) => counted.find(x => x.contender === c && x.n === n)!;
    const lib = of('library');
    const hand = of('handwritten');
    const libSynth = lib.instructions - load.get('library')!;
    const handSynth = hand.instructions - load.get('handwritten')!;
    return {
      n,
      libraryLoad: load.get('library')!,
      handwrittenLoad: load.get('handwritten')!,
      librarySynth: libSynth,
      handwrittenSynth: handSynth,
      ratio: libSynth / handSynth,
      identical: lib.sha256 === hand.sha256,
    };
  });

  const lines = [
    'Instructions (callgrind, V8 single-threaded): synthesis = a run of N workloads (construct, toJson, YAML) minus a run of none',
    '',
    '| N | library load G | hand-written load G | library synthesis G | hand-written synthesis G | ratio | identical |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(r => `| ${r.n} | ${G(r.libraryLoad)} | ${G(r.handwrittenLoad)} | ${G(r.librarySynth)} | ${G(r.handwrittenSynth)} `
      + `| ${r.ratio.toFixed(3)} | ${r.identical ? 'yes' : 'NO'} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(OUT, 'instructions.json'), `${JSON.stringify({ generatedAt: new Date().toISOString(), rows }, null, 2)}\n`);
  return rows;
}
