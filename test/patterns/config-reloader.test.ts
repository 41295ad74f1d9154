import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { ConfigReloader, MountedConfig, ReloadAction, ReloadMethod, ReloadSignal, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP = { image: 'nginxinc/nginx-unprivileged:1.27.2-alpine', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 101, group: 101 } };
const FILES = [{ key: 'app.conf', content: 'worker_connections 512;\n' }];

function reloaderOf(manifests: any[]): any {
  return podSpec(only(manifests, 'Deployment')).containers.find((c: any) => c.name === 'config-reloader');
}

function envMap(container: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of container.env ?? []) out[e.name] = e.value;
  return out;
}

describe('ConfigReloader', () => {
  test('defaults: a busybox sidecar that POSTs to the app\'s reload URL when the mounted files change', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload') })],
    });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('the sidecar mounts the same ConfigMap volume, read-only, at the app\'s path, and is small and hardened', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload') })],
    });
    // THEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    const reloader = reloaderOf(manifests);
    expect(reloader.image).toBe('busybox:1.36.1');
    expect(reloader.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/app', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'config', configMap: { name: only(manifests, 'ConfigMap').metadata.name } }]);
    expect(reloader.resources).toEqual({ limits: { cpu: '50m', memory: '32Mi' }, requests: { cpu: '5m', memory: '16Mi' } });
    expect(reloader.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(envMap(reloader)).toEqual({ WATCH_DIR: '/etc/app', INTERVAL: '10', RELOAD_URL: 'http://127.0.0.1:8080/-/reload' });
    expect(spec.shareProcessNamespace).toBeUndefined();
  });

  test('an HTTP GET action uses a plain GET', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    const action = ReloadAction.httpGet(9000, '/reload?all=1');
    // WHEN
    new StatelessService(chart, 'web', { container: APP, patterns: [config, new ConfigReloader({ config, action })] });
    // THEN
    const script: string = reloaderOf(synth(chart)).command[2];
    expect(script).toContain('if wget -q -O /dev/null "$RELOAD_URL"; then');
    expect(script).not.toContain('--post-data');
    expect([action.method, action.url]).toEqual([ReloadMethod.GET, 'http://127.0.0.1:9000/reload?all=1']);
  });

  test('a signal action shares the process namespace and runs as the app\'s user', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/nginx/conf.d', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', user: 101 }) })],
    });
    // THEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    const reloader = reloaderOf(manifests);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(reloader.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101 });
    expect(envMap(reloader)).toEqual({ WATCH_DIR: '/etc/nginx/conf.d', INTERVAL: '10', RELOAD_SIGNAL: 'HUP', RELOAD_PROCESS: 'nginx' });
    expect(reloader.command[2]).toContain('if pkill "-$RELOAD_SIGNAL" -o -x "$RELOAD_PROCESS"; then');
  });

  test('the reloader may be attached before the config it watches', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', signal: ReloadSignal.USR2 }) }), config],
    });
    // THEN one volume, mounted by both
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['config']);
    expect(spec.containers.map((c: any) => c.volumeMounts)).toEqual([
      [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
      [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    ]);
    expect(envMap(reloaderOf(manifests)).RELOAD_SIGNAL).toBe('USR2');
  });

  test('interval, name, image and resources can be set', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({
        config, action: ReloadAction.httpPost(8080, '/-/reload'), name: 'reload', interval: Duration.seconds(30), image: 'busybox:1.37.0',
      })],
    });
    // THEN
    const c = podSpec(only(synth(chart), 'Deployment')).containers[1];
    expect([c.name, c.image, envMap(c).INTERVAL]).toEqual(['reload', 'busybox:1.37.0', '30']);
  });

  describe('fails when', () => {
    test('fails when the reload path does not start with a slash', () => {
      expect(errorOf(() => ReloadAction.httpPost(8080, '-/reload'))).toBe(
        '[ReloadAction.httpPost] path must be a URL path starting with "/", without spaces (got "-/reload"). Fix: e.g. "/-/reload".');
    });

    test('fails when the reload port is out of range', () => {
      expect(errorOf(() => ReloadAction.httpGet(0, '/reload'))).toBe(
        '[ReloadAction.httpGet] port must be an integer between 1 and 65535 (got 0). Fix: use the port the program listens on, e.g. 8080.');
    });

    test('fails when the process name is not a process name', () => {
      expect(errorOf(() => ReloadAction.signal({ processName: 'nginx: master process' }))).toBe(
        '[ReloadAction.signal] processName must be a process name of 1 to 15 letters, digits, \'.\', \'_\', \'+\' or \'-\', as in '
        + '/proc/<pid>/comm (got "nginx: master process"). Fix: use the name of the app\'s executable, e.g. "nginx".');
    });

    test('fails when the process name is one of the reloader\'s own', () => {
      expect(errorOf(() => ReloadAction.signal({ processName: 'sh' }))).toBe(
        '[ReloadAction.signal] processName "sh" is also a process of the reloader, which would signal itself instead of the app. '
        + 'Fix: use the name of the app\'s executable.');
    });

    test('fails when the signal user is root', () => {
      expect(errorOf(() => ReloadAction.signal({ processName: 'nginx', user: 0 }))).toBe(
        '[ReloadAction.signal] user must be a numeric non-root user id >= 1 (got 0). Fix: use the user the app runs as.');
    });

    test('fails when the interval is below a second', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload'), interval: Duration.millis(500) })))
        .toBe('[ConfigReloader "config-reloader"] interval must be a whole number of seconds >= 1 (got 0.5 seconds). '
          + 'Fix: e.g. interval: Duration.seconds(10).');
    });

    test('fails when the image is not pinned', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload'), image: 'busybox:latest' })))
        .toBe('[ConfigReloader "config-reloader"] image "busybox:latest" uses the "latest" tag, so every pull may fetch a different '
          + 'image. Fix: pin a version, e.g. "busybox:1.2.3", or a digest.');
    });

    test('fails when no config is given', () => {
      expect(errorOf(() => new ConfigReloader({ config: undefined as any, action: ReloadAction.httpPost(8080, '/-/reload') }))).toBe(
        '[ConfigReloader "config-reloader"] config and action are required (got config undefined, action "set"). '
        + 'Fix: pass the MountedConfig to watch and a ReloadAction.');
    });

    test('fails when a workload already has a different volume of the config\'s name', () => {
      const chart = newChart();
      const a = new MountedConfig(chart, 'a', { mountPath: '/etc/a', files: FILES });
      const b = new MountedConfig(chart, 'b', { mountPath: '/etc/b', files: FILES });
      const web = new StatelessService(chart, 'web', { container: APP, patterns: [a] });
      expect(errorOf(() => web.addPattern(new ConfigReloader({ config: b, action: ReloadAction.httpPost(8080, '/-/reload') })))).toBe(
        `[test/web/config-reloader] volume "config" already holds ConfigMap "${a.configMap.name}" (got ConfigMap "${b.configMap.name}"). `
        + 'Fix: use another volume name for the second ConfigMap.');
    });
  });
});

/**
 * The sidecar's script, run for real by a POSIX shell against a directory laid
 * out the way the kubelet lays out a ConfigMap volume (files are links into
 * `..data`, which is swapped atomically on an update).
 */
const tools = ['sh', 'wget', 'pkill', 'md5sum'].every(t => {
  try {
    execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (!tools && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPING the ConfigReloader script tests: sh, wget, pkill and md5sum are needed (apt-get install wget procps).');
}
// under CI the tools are installed by .ci/run, so a missing one fails the suite instead of skipping it
const describeWithTools = tools || process.env.CI ? describe : describe.skip;

describeWithTools('ConfigReloader script (run by sh)', () => {
  let dir: string;
  let generation = 0;
  const children: ChildProcess[] = [];

  /** Writes the files as a new generation and swaps `..data` to it, as the kubelet does. */
  function publish(files: Record<string, string>): void {
    const gen = `..gen_${++generation}`;
    fs.mkdirSync(path.join(dir, gen));
    for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(dir, gen, k), v);
    fs.symlinkSync(gen, path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    for (const k of Object.keys(files)) {
      if (!fs.existsSync(path.join(dir, k))) fs.symlinkSync(path.join('..data', k), path.join(dir, k));
    }
  }

  function runReloader(action: ReloadAction): void {
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: dir, files: FILES });
    new StatelessService(chart, 'web', { container: APP, patterns: [config, new ConfigReloader({ config, action, interval: Duration.seconds(1) })] });
    const reloader = reloaderOf(synth(chart));
    const child = spawn(reloader.command[0], reloader.command.slice(1), {
      env: { PATH: process.env.PATH, ...envMap(reloader) },
      stdio: 'ignore',
    });
    children.push(child);
  }

  const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

  async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
    for (let t = 0; t < ms; t += 100) {
      if (check()) return true;
      await sleep(100);
    }
    return check();
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-reloader-'));
    publish({ 'app.conf': 'v1\n' });
  });

  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('calls the reload URL once per change, and not while nothing changes', async () => {
    // GIVEN an app with a reload endpoint on localhost
    const calls: string[] = [];
    const server = http.createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      res.end('ok');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      runReloader(ReloadAction.httpPost(port, '/-/reload'));
      // WHEN nothing changes for a while
      await sleep(2500);
      // THEN nothing is called
      expect(calls).toEqual([]);

      // WHEN the kubelet swaps in new content
      publish({ 'app.conf': 'v2\n' });
      // THEN the app is told, once
      expect(await waitFor(() => calls.length > 0, 8000)).toBe(true);
      await sleep(2500);
      expect(calls).toEqual(['POST /-/reload']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('retries a failed reload at the next interval', async () => {
    // GIVEN an app whose reload endpoint fails at first
    const calls: number[] = [];
    const server = http.createServer((_req, res) => {
      calls.push(Date.now());
      res.statusCode = calls.length === 1 ? 503 : 200;
      res.end();
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      runReloader(ReloadAction.httpPost(port, '/-/reload'));
      await sleep(1500);
      // WHEN the content changes
      publish({ 'app.conf': 'v2\n' });
      // THEN the reload is tried again until it succeeds, then no more
      expect(await waitFor(() => calls.length >= 2, 10000)).toBe(true);
      await sleep(2500);
      expect(calls.length).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('sends the signal to the app\'s process', async () => {
    // GIVEN an "app" process with a distinctive name, which exits on SIGHUP
    const app = path.join(dir, '..bin');
    fs.mkdirSync(app);
    const name = `rl${process.pid % 100000}`;
    fs.copyFileSync(execFileSync('sh', ['-c', 'command -v sleep']).toString().trim(), path.join(app, name));
    fs.chmodSync(path.join(app, name), 0o755);
    const target = spawn(path.join(app, name), ['60'], { stdio: 'ignore' });
    children.push(target);
    const exited = new Promise<string | null>(r => target.on('exit', (_code, signal) => r(signal)));
    runReloader(ReloadAction.signal({ processName: name }));
    await sleep(1500);
    // WHEN the content changes
    publish({ 'app.conf': 'v2\n' });
    // THEN the app gets SIGHUP
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>(r => { timer = setTimeout(() => r('timeout'), 10000); });
    const signal = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    expect(signal).toBe('SIGHUP');
  });
});
