/**
 * The shell scripts of WaitFor and ConfigReloader, taken out of the
 * synthesized manifests and run by the busybox of the sidecar image (built by
 * scripts/fetch-busybox.sh), the way the kubelet would run the container:
 * `$(VAR)` references expanded, the container's env, PATH holding only the
 * busybox applets, and the numeric user of its securityContext.
 *
 * They run against servers on 127.0.0.1 started here: a TCP server, an HTTP
 * reload endpoint, a DNS server (busybox `nslookup` asks a DNS server and never
 * reads /etc/hosts, so the machine's resolver cannot answer for test names),
 * and "app" processes that record the signals they get. The ConfigMap volume
 * is updated the way the kubelet does it: a new generation of the files and
 * an atomic swap of the `..data` link.
 *
 * Outside a Pod the reloader sees every process of the machine, not only the
 * Pod's; the app processes have names no other process has.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ConfigReloader, Endpoint, MountedConfig, ReloadAction, ReloadSignal, StatelessService, WaitFor, WaitForCheck, WaitForProps } from '../../src';
import { newChart, synth } from '../util';
import {
  BUSYBOX_BIN, containerProcess, ContainerProcess, describeWithBusybox, kubeletExpand, renderedContainer, runInBusybox, startInBusybox,
} from './support/busybox';
import { ConfigMapVolume } from './support/configmap-volume';
import { LocalDns, startDns } from './support/dns';
import { freePort, RunningProgram, tempDir, waitUntil } from './support/programs';

const APP_USER = 101;
const APP: kplus.ContainerProps = { image: 'example/app:1.0.0', ports: [{ number: 8080 }], securityContext: { user: APP_USER, group: APP_USER } };

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The WaitFor init container of a synthesized service, as the kubelet would run it. */
function waitForProcess(props: WaitForProps): ContainerProcess {
  const chart = newChart();
  new StatelessService(chart, 'web', { container: APP, patterns: [new WaitFor(props)] });
  return containerProcess(renderedContainer(synth(chart), props.name ?? 'wait-for'));
}

describe('the kubelet\'s $(VAR) expansion, as the tests apply it', () => {
  test('expands defined references, keeps undefined ones, and turns $$ into $', () => {
    const vars = new Map([['A', 'x'], ['B', 'y']]);
    expect(kubeletExpand('$(A)/$(B)/$(C)', vars)).toBe('x/y/$(C)');
    expect(kubeletExpand('$$(A) $$$(A) $$ $x $( $', vars)).toBe('$(A) $x $ $x $( $');
    expect(kubeletExpand('$(( $(date +%s) + 1 ))', vars)).toBe('$(( $(date +%s) + 1 ))');
  });
});

describeWithBusybox('WaitFor script run by busybox', { needsRoot: false }, () => {
  describe('TCP check', () => {
    test('waits until the endpoint accepts connections, then exits 0', async () => {
      // GIVEN a WaitFor on a port where nothing listens yet
      const port = await freePort();
      const wait = waitForProcess({ endpoints: [Endpoint.of('127.0.0.1', port)], timeout: Duration.seconds(20), interval: Duration.seconds(1) });
      let connections = 0;
      const server = net.createServer(s => {
        connections++;
        s.destroy();
      });
      try {
        // WHEN the step runs, and the server starts a moment later
        const run = runInBusybox(wait);
        await sleep(1500);
        await new Promise<void>(r => server.listen(port, '127.0.0.1', () => r()));
        const r = await run;

        // THEN the step waited, then saw the server and let the app start
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^(wait-for: waiting for 127\\.0\\.0\\.1:${port} \\(tcp\\)\\n)+wait-for: 127\\.0\\.0\\.1:${port} is available\\n$`));
        expect(connections).toBeGreaterThanOrEqual(1);
      } finally {
        server.close();
      }
    });

    test('fails when the endpoint never accepts connections before the timeout', async () => {
      // GIVEN a port where nothing listens
      const port = await freePort();
      const wait = waitForProcess({ endpoints: [Endpoint.of('127.0.0.1', port)], timeout: Duration.seconds(2), interval: Duration.seconds(1) });
      // WHEN
      const r = await runInBusybox(wait);
      // THEN the step gives up after about the timeout (counted in whole seconds of `date +%s`), saying why
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`wait-for: 127.0.0.1:${port} is not available after 2s (check: tcp), giving up\n`);
      expect(r.seconds).toBeGreaterThanOrEqual(1);
      expect(r.seconds).toBeLessThan(8);
    });
  });

  describe('DNS check', () => {
    let dns: LocalDns;
    let dir: string;
    let resolvConf: string;

    beforeAll(async () => {
      dns = await startDns(['mydb.other-ns.svc.cluster.local', 'cache.web-ns.svc.cluster.local']);
      dir = tempDir('wait-for-dns');
      // the resolver configuration of a Pod in namespace "web-ns"
      resolvConf = path.join(dir, 'resolv.conf');
      fs.writeFileSync(resolvConf, 'nameserver 10.96.0.10\nsearch web-ns.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
        { mode: 0o644 });
    });

    afterAll(async () => {
      await dns?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Runs the DNS check with the Pod's resolv.conf and the loopback DNS server standing in for the cluster's. */
    function runDnsCheck(host: string, timeoutSeconds: number) {
      const wait = waitForProcess({
        endpoints: [Endpoint.of(host, 5432)], check: WaitForCheck.DNS, timeout: Duration.seconds(timeoutSeconds), interval: Duration.seconds(1),
      });
      dns.questions.length = 0;
      return runInBusybox(wait, {
        replace: [
          { reason: 'the Pod\'s resolver configuration', from: '/etc/resolv.conf', to: resolvConf },
          { reason: 'the cluster DNS server, here on a loopback port', from: 'nslookup "$1"', to: `nslookup "$1" 127.0.0.1:${dns.port}` },
        ],
      });
    }

    test('resolves a partly qualified name through the Pod\'s search list, as the app would', async () => {
      // WHEN the step waits for "mydb.other-ns", which busybox nslookup alone would not complete
      const r = await runDnsCheck('mydb.other-ns', 10);
      // THEN it resolves as mydb.other-ns.svc.cluster.local at the first attempt
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('wait-for: mydb.other-ns:5432 is available\n');
      expect(dns.questions).toContain('mydb.other-ns.svc.cluster.local');
    });

    test('resolves a single-label name of its own namespace', async () => {
      const r = await runDnsCheck('cache', 10);
      expect([r.status, r.stdout]).toEqual([0, 'wait-for: cache:5432 is available\n']);
      expect(dns.questions).toContain('cache.web-ns.svc.cluster.local');
    });

    test('fails when the name resolves neither as given nor with any search domain', async () => {
      // WHEN
      const r = await runDnsCheck('nothing.other-ns', 2);
      // THEN
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('wait-for: nothing.other-ns:5432 is not available after 2s (check: dns), giving up\n');
      expect(dns.questions).toEqual(expect.arrayContaining([
        'nothing.other-ns', 'nothing.other-ns.web-ns.svc.cluster.local', 'nothing.other-ns.svc.cluster.local', 'nothing.other-ns.cluster.local',
      ]));
    });

    test('fails when an absolute name (ending in ".") is not known as given: it is never completed', async () => {
      const r = await runDnsCheck('mydb.other-ns.', 1);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('wait-for: mydb.other-ns.:5432 is not available after 1s (check: dns), giving up\n');
      expect(dns.questions.filter(q => q !== 'mydb.other-ns')).toEqual([]);
    });
  });
});

/** An "app" process with a given name that appends each HUP or USR2 it gets to a log. */
class SignalRecorder {
  /** Starts it as `uid`; `name` becomes its process name (`/proc/<pid>/comm`). */
  public static start(dir: string, name: string, uid: number): SignalRecorder {
    const home = path.join(dir, `app-${uid}`);
    fs.mkdirSync(home, { recursive: true, mode: 0o755 });
    fs.chownSync(home, uid, uid);
    const log = path.join(home, 'signals');
    const file = path.join(home, name);
    fs.writeFileSync(file, [
      `#!${BUSYBOX_BIN}/sh`,
      `trap 'echo HUP >> ${log}' HUP`,
      `trap 'echo USR2 >> ${log}' USR2`,
      `: > ${log}`,
      'while :; do sleep 1 & wait $!; done',
      '',
    ].join('\n'), { mode: 0o755 });
    const proc = RunningProgram.start(file, [], { env: { PATH: BUSYBOX_BIN }, uid, gid: uid });
    return new SignalRecorder(proc, log);
  }

  private constructor(public readonly proc: RunningProgram, private readonly log: string) {}

  /** The signals received so far. */
  public get signals(): string[] {
    try {
      return fs.readFileSync(this.log, 'utf8').split('\n').filter(l => l.length > 0);
    } catch {
      return [];
    }
  }

  /** Waits until it runs under its name and has its traps set. */
  public async ready(): Promise<void> {
    await waitUntil('the app process to start', () => fs.existsSync(this.log), 5000);
  }
}

describeWithBusybox('ConfigReloader script run by busybox', { needsRoot: true }, () => {
  let dir: string;
  let volume: ConfigMapVolume;
  const started: RunningProgram[] = [];
  const servers: http.Server[] = [];
  /** A process name no other process of the machine has. */
  const uniqueName = (suffix: string) => `rl${process.pid % 100000}${suffix}`;

  beforeEach(() => {
    dir = tempDir('config-reloader');
    fs.mkdirSync(path.join(dir, 'config'), { mode: 0o755 });
    volume = new ConfigMapVolume(path.join(dir, 'config'));
    volume.publish({ 'app.conf': 'worker_connections 512;\n' });
  });

  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Synthesizes a service with the reloader watching the volume, and starts the reloader's container as rendered. */
  async function startReloader(action: ReloadAction, container: kplus.ContainerProps = APP): Promise<RunningProgram> {
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: volume.dir, files: [{ key: 'app.conf', content: '' }] });
    new StatelessService(chart, 'web', {
      container,
      patterns: [config, new ConfigReloader({ config, action, interval: Duration.seconds(1) })],
    });
    const reloader = startInBusybox(containerProcess(renderedContainer(synth(chart), 'config-reloader')));
    started.push(reloader);
    await reloader.waitForOutput(`watching ${volume.dir} every 1s`, 5000);
    return reloader;
  }

  function startApp(name: string, uid = APP_USER): SignalRecorder {
    const app = SignalRecorder.start(dir, name, uid);
    started.push(app.proc);
    return app;
  }

  /** A reload endpoint on 127.0.0.1 that records `METHOD path` and answers with the next status (200 once they run out). */
  async function startReloadEndpoint(statuses: number[] = []): Promise<{ port: number; calls: string[] }> {
    const calls: string[] = [];
    const server = http.createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
    servers.push(server);
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    return { port: (server.address() as net.AddressInfo).port, calls };
  }

  describe('HTTP action', () => {
    test('POSTs to the reload URL once per change, and never while nothing changes', async () => {
      // GIVEN
      const app = await startReloadEndpoint();
      await startReloader(ReloadAction.httpPost(app.port, '/-/reload'));
      // WHEN nothing changes for a few intervals, THEN nothing is called
      await sleep(2500);
      expect(app.calls).toEqual([]);
      // WHEN the kubelet swaps in new content, THEN the app is told once
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      await waitUntil('the first reload', () => app.calls.length >= 1, 8000);
      await sleep(2500);
      expect(app.calls).toEqual(['POST /-/reload']);
      // WHEN it changes again, THEN once more
      volume.publish({ 'app.conf': 'worker_connections 2048;\n' });
      await waitUntil('the second reload', () => app.calls.length >= 2, 8000);
      await sleep(2500);
      expect(app.calls).toEqual(['POST /-/reload', 'POST /-/reload']);
    });

    test('a key renamed with the same bytes is a change', async () => {
      // GIVEN
      const app = await startReloadEndpoint();
      await startReloader(ReloadAction.httpPost(app.port, '/-/reload'));
      // WHEN the file keeps its content under another name
      volume.publish({ 'main.conf': 'worker_connections 512;\n' });
      // THEN the app is told
      await waitUntil('a reload', () => app.calls.length >= 1, 8000);
      await sleep(2500);
      expect(app.calls).toEqual(['POST /-/reload']);
    });

    test('a new key starting with "." is a change', async () => {
      const app = await startReloadEndpoint();
      await startReloader(ReloadAction.httpPost(app.port, '/-/reload'));
      volume.publish({ 'app.conf': 'worker_connections 512;\n', '.env': 'A=1\n' });
      await waitUntil('a reload', () => app.calls.length >= 1, 8000);
      expect(app.calls).toEqual(['POST /-/reload']);
    });

    test('retries a failed reload at the next interval, and stops once it succeeded', async () => {
      // GIVEN a reload endpoint that fails once
      const app = await startReloadEndpoint([503]);
      const reloader = await startReloader(ReloadAction.httpPost(app.port, '/-/reload'));
      // WHEN the content changes
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      // THEN the reload is tried again until it succeeds, then no more
      await waitUntil('a second attempt', () => app.calls.length >= 2, 8000);
      await sleep(2500);
      expect(app.calls).toEqual(['POST /-/reload', 'POST /-/reload']);
      expect(reloader.output).toContain('configuration changed: reload failed, retrying in 1s');
      expect(reloader.output).toContain('configuration changed: reloaded');
    });

    test('a GET action GETs the URL, query string included', async () => {
      const app = await startReloadEndpoint();
      await startReloader(ReloadAction.httpGet(app.port, '/reload?all=1'));
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      await waitUntil('a reload', () => app.calls.length >= 1, 8000);
      expect(app.calls).toEqual(['GET /reload?all=1']);
    });

    test('a reload path containing "$(" reaches the app as written, not expanded by the kubelet', async () => {
      // GIVEN a path with a $(VAR) reference to one of the reloader's own env vars
      const app = await startReloadEndpoint();
      await startReloader(ReloadAction.httpPost(app.port, '/-/reload$(WATCH_DIR)$$(INTERVAL)'));
      // WHEN
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      // THEN
      await waitUntil('a reload', () => app.calls.length >= 1, 8000);
      expect(app.calls).toEqual(['POST /-/reload$(WATCH_DIR)$$(INTERVAL)']);
    });
  });

  describe('signal action', () => {
    test('signals the app\'s process once per change', async () => {
      // GIVEN the app, running as the main container's user, and the reloader, which takes that user
      const name = uniqueName('a');
      const app = startApp(name);
      await app.ready();
      const reloader = await startReloader(ReloadAction.signal({ processName: name }));
      // WHEN nothing changes, THEN no signal
      await sleep(2500);
      expect(app.signals).toEqual([]);
      // WHEN the content changes twice
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      await waitUntil('the first signal', () => app.signals.length >= 1, 8000);
      await sleep(2500);
      expect(app.signals).toEqual(['HUP']);
      volume.publish({ 'app.conf': 'worker_connections 2048;\n' });
      await waitUntil('the second signal', () => app.signals.length >= 2, 8000);
      await sleep(2500);
      // THEN one signal per change
      expect(app.signals).toEqual(['HUP', 'HUP']);
      expect(reloader.output).toContain(`sent SIGHUP to ${name} (pid ${app.proc.pid})\nconfiguration changed: reloaded\n`);
    });

    test('sends the chosen signal', async () => {
      const name = uniqueName('b');
      const app = startApp(name);
      await app.ready();
      await startReloader(ReloadAction.signal({ processName: name, signal: ReloadSignal.USR2 }));
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      await waitUntil('a signal', () => app.signals.length >= 1, 8000);
      expect(app.signals).toEqual(['USR2']);
    });

    test.each([
      ['matches the process name exactly, not as a pattern: "s." signals the app named "s.", not the reloader\'s sh', 's.'],
      ['takes a process name starting with "-" as a name, not an option', '-v'],
    ])('%s', async (_what, processName) => {
      // GIVEN a reloader started before the app, so that its own `sh` is the oldest process of that user
      const reloader = await startReloader(ReloadAction.signal({ processName }));
      const app = startApp(processName);
      await app.ready();
      // WHEN
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      // THEN the app gets the signal and the reloader keeps running
      await waitUntil('a signal', () => app.signals.length >= 1, 8000);
      await sleep(2500);
      expect(app.signals).toEqual(['HUP']);
      expect(reloader.running).toBe(true);
    });

    test('retries while the app\'s process is not running, and signals it once it runs', async () => {
      // GIVEN a reloader and no app yet
      const name = uniqueName('c');
      const reloader = await startReloader(ReloadAction.signal({ processName: name }));
      // WHEN the content changes
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      // THEN the reload fails, and is retried
      await reloader.waitForOutput(`no process named ${name}\nconfiguration changed: reload failed, retrying in 1s\n`, 8000);
      // WHEN the app starts, THEN it gets the signal, once
      const app = startApp(name);
      await app.ready();
      await waitUntil('a signal', () => app.signals.length >= 1, 8000);
      await sleep(2500);
      expect(app.signals).toEqual(['HUP']);
    });

    test('logs and retries a signal the kernel refuses (the app runs as another user), never claiming a reload', async () => {
      // GIVEN a main container declared as user 1000 (so the reloader runs as 1000), whose process really runs as 1001
      // (an image that switches user itself)
      const name = uniqueName('d');
      const app = startApp(name, 1001);
      await app.ready();
      const reloader = await startReloader(ReloadAction.signal({ processName: name }),
        { image: 'example/app:1.0.0', ports: [{ number: 8080 }], securityContext: { user: 1000, group: 1000 } });
      // WHEN the content changes
      volume.publish({ 'app.conf': 'worker_connections 1024;\n' });
      // THEN each attempt is refused and logged, and retried at the next interval
      const refused = `can't kill pid ${app.proc.pid}: Operation not permitted\nconfiguration changed: reload failed, retrying in 1s\n`;
      await waitUntil('two refused attempts', () => reloader.output.split(refused).length > 2, 8000);
      expect(reloader.output).not.toContain('reloaded');
      expect(app.signals).toEqual([]);
    });
  });
});
