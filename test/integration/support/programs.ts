/**
 * Finding and running the real programs (haproxy, nginx) in integration
 * tests: every process is started in its own process group and stopped by
 * that group's id.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Where a program is looked for besides the PATH (Debian installs daemons in /usr/sbin). */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** True when the tests run in CI, where a missing program is a failure rather than a skip. */
export function inCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** The absolute path of an executable found in the PATH or in /usr/sbin, if any. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(d => d.length > 0), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `describe` that needs a real program. When the program is missing, the
 * block fails in CI (naming the program) and is skipped with a warning
 * elsewhere.
 */
export function describeWithProgram(program: string, title: string, body: (binary: string) => void): void {
  const binary = findProgram(program);
  if (binary) {
    describe(title, () => body(binary));
    return;
  }
  const message = `${program} binary not found in PATH or ${EXTRA_DIRS.join(', ')}: "${title}" needs the real ${program} `
    + `(e.g. apt-get install -y --no-install-recommends ${program}).`;
  if (inCI()) {
    describe(title, () => {
      test(`${program} is installed`, () => {
        throw new Error(`MISSING PROGRAM: ${message}`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${message}`);
    describe.skip(title, () => {
      test(`needs ${program}`, () => undefined);
    });
  }
}

/** A fresh temporary directory that other users can enter (nginx workers may run as another user). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a program to completion (e.g. a config check) with a time limit. */
export function runToCompletion(binary: string, args: string[], timeoutMs = 10_000): { status: number | null; output: string } {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** How {@link RunningProgram.start} runs a program. */
export interface StartOptions {
  /** The whole environment. @default - the test's */
  readonly env?: NodeJS.ProcessEnv;
  /** Numeric user and group (root only). @default - the test's */
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * A long-running program started by a test, in its own process group, with
 * its output collected for assertions and diagnostics.
 */
export class RunningProgram {
  /** Starts `binary args...`, by default with the test's environment and user. */
  public static start(binary: string, args: string[], options: StartOptions = {}): RunningProgram {
    return new RunningProgram(binary, args, options);
  }

  private readonly child: ChildProcess;
  private collected = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly binary: string, private readonly args: string[], options: StartOptions) {
    this.child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env, uid: options.uid, gid: options.gid });
    this.child.stdout!.on('data', d => { this.collected += String(d); });
    this.child.stderr!.on('data', d => { this.collected += String(d); });
    this.exited = new Promise(resolve => this.child.once('exit', (code) => {
      this.exitCode = code;
      resolve();
    }));
  }

  /** The process id (also the id of its process group). */
  public get pid(): number {
    return this.child.pid!;
  }

  /** True until the program exits. */
  public get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Everything the program printed so far. */
  public get output(): string {
    return this.collected;
  }

  /** Waits until the program accepts connections on 127.0.0.1:port; fails if it exits first. */
  public async waitForPort(port: number, timeoutMs = 5000): Promise<void> {
    await waitUntil(`${path.basename(this.binary)} to listen on 127.0.0.1:${port}`, async () => {
      if (this.exitCode !== undefined) {
        throw new Error(`${this.binary} ${this.args.join(' ')} exited with ${this.exitCode} before listening:\n${this.collected}`);
      }
      return acceptsConnections(port);
    }, timeoutMs);
  }

  /** Waits until the program has printed `text`. */
  public async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    await waitUntil(`${path.basename(this.binary)} to print ${JSON.stringify(text)} (printed so far:\n${this.collected})`,
      () => this.collected.includes(text), timeoutMs);
  }

  /** Stops the program's process group: SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  public async stop(graceMs = 3000): Promise<void> {
    if (this.exitCode !== undefined || this.child.pid === undefined) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-this.child.pid!, signal);
      } catch {
        // already gone
      }
    };
    let killed = false;
    signalGroup('SIGTERM');
    const timer = setTimeout(() => {
      killed = true;
      signalGroup('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
    // workers of a master that had to be killed outright are left in its group
    if (killed) signalGroup('SIGKILL');
  }
}
