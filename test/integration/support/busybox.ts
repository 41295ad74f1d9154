/**
 * Running the containers of synthesized manifests whose command is a shell
 * script under the busybox of the sidecar image, the way the kubelet would:
 * `$(VAR)` references expanded, the container's env, PATH holding only the
 * busybox applets, and the numeric user of its securityContext.
 *
 * The busybox is built by scripts/fetch-busybox.sh into .tools/busybox (the
 * `busybox` package of Debian lacks `pkill` and `nc -z`).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inCI, RunningProgram } from './programs';
import { podSpec } from '../../util';

/** Where scripts/fetch-busybox.sh installs the binary, and the directory of applet links. */
export const BUSYBOX = path.resolve(__dirname, '../../../.tools/busybox/busybox');
export const BUSYBOX_BIN = path.join(path.dirname(BUSYBOX), 'bin');

/** Why the busybox cannot be used, or undefined when it can. */
function busyboxProblem(): string | undefined {
  const sh = path.join(BUSYBOX_BIN, 'sh');
  try {
    fs.accessSync(sh, fs.constants.X_OK);
  } catch {
    return `no busybox at ${sh}`;
  }
  const r = spawnSync(sh, ['-c', 'echo ok'], { encoding: 'utf8', env: { PATH: BUSYBOX_BIN }, timeout: 5000 });
  return r.stdout === 'ok\n' ? undefined : `${sh} does not run (${r.error ?? r.stderr})`;
}

/**
 * `describe` that needs the busybox (and, with `needsRoot`, root, to run
 * each container as its own numeric user). When it is missing, the block
 * fails in CI, and is skipped with a warning elsewhere.
 */
export function describeWithBusybox(title: string, options: { readonly needsRoot: boolean }, body: () => void): void {
  let problem = busyboxProblem();
  if (problem) {
    problem += ': run `bash scripts/fetch-busybox.sh` (it builds busybox from Debian\'s source package, a few minutes)';
  } else if (options.needsRoot && process.getuid?.() !== 0) {
    problem = `the tests run as uid ${process.getuid?.()}, but running each container as the numeric user of its securityContext needs root`;
  }
  if (!problem) {
    describe(title, body);
    return;
  }
  if (inCI()) {
    describe(title, () => {
      test('can run the busybox scripts', () => {
        throw new Error(`MISSING PROGRAM: "${title}": ${problem}.`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED "${title}": ${problem}.`);
    describe.skip(title, () => {
      test('needs busybox', () => undefined);
    });
  }
}

/**
 * The kubelet's expansion of `$(VAR)` in command, args and env values:
 * `$(NAME)` becomes the value of NAME when it is defined and stays as written
 * otherwise; `$$` becomes `$`; any other `$` stays.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export function kubeletExpand(input: string, vars: Map<string, string>): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      out += vars.has(name) ? vars.get(name) : `$(${name})`;
      i = close + 1;
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

/** A container of the one workload in `manifests`, as rendered. */
export function renderedContainer(manifests: any[], name: string): any {
  const workloads = manifests.filter(m => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(m.kind));
  if (workloads.length !== 1) throw new Error(`expected one workload, found ${workloads.length}`);
  const spec = podSpec(workloads[0]);
  const c = [...(spec.initContainers ?? []), ...spec.containers].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container named ${name}`);
  return c;
}

/** What the kubelet would exec for a container: its argv and env after `$(VAR)` expansion, and its user. */
export interface ContainerProcess {
  readonly argv: string[];
  readonly env: Map<string, string>;
  /** securityContext.runAsUser / runAsGroup, when set. */
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * The process of a rendered container: env values expanded in order (each
 * may refer to the ones before it), then command and args expanded with all
 * of them. Only literal env values are supported.
 */
export function containerProcess(container: any): ContainerProcess {
  const env = new Map<string, string>();
  for (const e of container.env ?? []) {
    if (typeof e.value !== 'string') throw new Error(`env ${e.name} of ${container.name} is not a literal value`);
    env.set(e.name, kubeletExpand(e.value, env));
  }
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a: string) => kubeletExpand(a, env));
  return { argv, env, uid: container.securityContext?.runAsUser, gid: container.securityContext?.runAsGroup };
}

/** Options of {@link runInBusybox} and {@link startInBusybox}. */
export interface BusyboxRunOptions {
  /** Text replacements made in the argv (each must match), for what differs outside a Pod. */
  readonly replace?: { readonly reason: string; readonly from: string; readonly to: string }[];
  /** Run as this user instead of the container's (the tests run as root). */
  readonly uid?: number;
  readonly gid?: number;
}

interface Prepared {
  readonly file: string;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly uid?: number;
  readonly gid?: number;
}

/** The argv, env and user a container is run with here. */
function prepare(p: ContainerProcess, options: BusyboxRunOptions): Prepared {
  let argv = p.argv;
  for (const r of options.replace ?? []) {
    if (!argv.some(a => a.includes(r.from))) throw new Error(`replacement (${r.reason}) found no ${JSON.stringify(r.from)} in ${JSON.stringify(argv)}`);
    argv = argv.map(a => a.split(r.from).join(r.to));
  }
  const [program, ...args] = argv;
  if (program.includes('/')) throw new Error(`expected a program found in PATH, got ${program}`);
  const env: NodeJS.ProcessEnv = { PATH: BUSYBOX_BIN };
  for (const [k, v] of p.env) env[k] = v;
  const uid = options.uid ?? p.uid;
  const gid = options.gid ?? p.gid ?? uid;
  const asRoot = process.getuid?.() === 0;
  return {
    file: path.join(BUSYBOX_BIN, program),
    args,
    env,
    uid: asRoot ? uid : undefined,
    gid: asRoot ? gid : undefined,
  };
}

/** The result of a container run to completion. */
export interface BusyboxRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs a container's process to completion (an init container) with a time limit. */
export function runInBusybox(p: ContainerProcess, options: BusyboxRunOptions = {}, timeoutMs = 20_000): Promise<BusyboxRun> {
  const x = prepare(p, options);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(x.file, x.args, { env: x.env, uid: x.uid, gid: x.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += String(d); });
    child.stderr!.on('data', (d: Buffer) => { stderr += String(d); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${x.args.join(' ').slice(0, 200)} did not exit within ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('error', e => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', status => {
      clearTimeout(timer);
      // the streams may still hold output; wait for them
      setImmediate(() => resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
    });
  });
}

/** Starts a long-running container process (a sidecar) in its own process group. */
export function startInBusybox(p: ContainerProcess, options: BusyboxRunOptions = {}): RunningProgram {
  const x = prepare(p, options);
  return RunningProgram.start(x.file, x.args, { env: x.env, uid: x.uid, gid: x.gid });
}
