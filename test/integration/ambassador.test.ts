/**
 * The Ambassador's configuration, taken out of the synthesized ConfigMap, run
 * by the real haproxy on 127.0.0.1 against tiny upstreams in this process.
 *
 * The chart is synthesized with free local ports, and the proxy binds
 * 127.0.0.1 and writes no files, so the only substitution is the path of the
 * configuration file, which a Pod mounts from the ConfigMap.
 */
import * as fs from 'fs';
import * as http from 'http';
import { Duration } from 'cdk8s';
import { Ambassador, AmbassadorProps, Endpoint, ProxyMode, StatelessService } from '../../src';
import { newChart, synth } from '../util';
import { commandLine, configMapFile, substitute, writeFile } from './support/manifests';
import { acceptsConnections, describeWithProgram, freePort, RunningProgram, runToCompletion, tempDir, waitUntil } from './support/programs';
import { CannedResponse, httpGet, lineRequest, LocalServer, startHttpServer, startLineServer } from './support/upstreams';

/** Synthesizes a service with the ambassador; writes its configuration and returns the container's command line, moved. */
function renderAmbassador(props: AmbassadorProps): { args: string[]; configFile: string; dir: string } {
  // GIVEN a chart with the ambassador, synthesized like `cdk8s synth`
  const chart = newChart();
  new StatelessService(chart, 'app', {
    container: { image: 'example/app:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 1 }] },
    patterns: [new Ambassador(props)],
  });
  const manifests = synth(chart);
  const name = props.name!;

  // the configuration exactly as rendered; the command line of the container with the config file moved
  const dir = tempDir(`ambassador-${name}`);
  const configFile = writeFile(dir, 'haproxy.cfg', configMapFile(manifests, `${name}-config`, 'haproxy.cfg'));
  const [program, ...args] = commandLine(manifests, name);
  expect(program).toBe('haproxy');
  const localArgs = substitute(args.join('\n'), [
    { reason: 'the Pod mounts the ConfigMap here', from: '/usr/local/etc/haproxy/haproxy.cfg', to: configFile },
  ]).split('\n');
  return { args: localArgs, configFile, dir };
}

/** Synthesizes a service with the ambassador and starts the real haproxy on its configuration. */
function startAmbassador(haproxy: string, props: AmbassadorProps): { proc: RunningProgram; configFile: string; dir: string } {
  const { args, configFile, dir } = renderAmbassador(props);
  return { proc: RunningProgram.start(haproxy, args), configFile, dir };
}

describeWithProgram('haproxy', 'Ambassador run by the real haproxy', (haproxy) => {
  describe('TCP mode', () => {
    let a: LocalServer;
    let b: LocalServer;
    let listenPort: number;
    let proc: RunningProgram | undefined;
    let configFile: string;
    let dir: string | undefined;

    beforeAll(async () => {
      a = await startLineServer('A');
      b = await startLineServer('B');
      const closedPort = await freePort();
      listenPort = await freePort();
      ({ proc, configFile, dir } = startAmbassador(haproxy, {
        name: 'redis',
        listenPort,
        upstreams: [
          Endpoint.of('127.0.0.1', a.port),
          Endpoint.of('127.0.0.1', b.port),
          // a name that never resolves, and a port nothing listens on
          Endpoint.of('redis-2.upstream.invalid', 6379),
          Endpoint.of('127.0.0.1', closedPort),
        ],
      }));
      await proc.waitForPort(listenPort);
    });

    afterAll(async () => {
      await proc?.stop();
      await a?.stop();
      await b?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('haproxy -c accepts the rendered configuration', () => {
      // WHEN
      const check = runToCompletion(haproxy, ['-c', '-f', configFile]);

      // THEN
      expect(check.output).toContain('Configuration file is valid');
      expect(check.status).toBe(0);
    });

    test('starts although an upstream name does not resolve, with that upstream down', () => {
      // THEN: it listens (beforeAll), and says it left the unresolved upstream out
      expect(proc!.output).toMatch(/redis-2.*could not resolve address 'redis-2\.upstream\.invalid'/);
    });

    test('traffic to 127.0.0.1 reaches the live upstreams, in turn', async () => {
      // WHEN
      const answers: string[] = [];
      for (let i = 0; i < 12; i++) answers.push(await lineRequest(listenPort, `ping-${i}`));

      // THEN
      answers.forEach((answer, i) => expect(answer).toMatch(new RegExp(`^[AB] ping-${i}$`)));
      expect(answers.filter(x => x.startsWith('A ')).length).toBeGreaterThan(0);
      expect(answers.filter(x => x.startsWith('B ')).length).toBeGreaterThan(0);
    });

    test('health checks mark the upstream with the closed port down', async () => {
      // THEN: within two check intervals (2s each by default)
      await proc!.waitForOutput('upstreams/upstream-3 is DOWN', 5000);
    });

    test('traffic still reaches an upstream when one more goes down', async () => {
      // WHEN
      await a.stop();
      const answers: string[] = [];
      for (let i = 0; i < 8; i++) answers.push(await lineRequest(listenPort, `after-${i}`));

      // THEN
      expect(answers).toEqual([...Array(8).keys()].map(i => `B after-${i}`));
    });
  });

  describe('HTTP mode with an HTTP health check', () => {
    let healthy: LocalServer & { paths: string[] };
    let failing: LocalServer & { paths: string[] };
    let listenPort: number;
    let proc: RunningProgram | undefined;
    let dir: string | undefined;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    const upstream = (name: string, health: number) => startHttpServer(new Map<string, CannedResponse>([
      ['/healthz', { status: health, body: `${name} health\n` }],
      ['/api/items', { status: 200, body: `${name} items\n` }],
    ]));

    beforeAll(async () => {
      healthy = await upstream('healthy', 200);
      failing = await upstream('failing', 503);
      listenPort = await freePort();
      ({ proc, dir } = startAmbassador(haproxy, {
        name: 'api',
        listenPort,
        mode: ProxyMode.HTTP,
        upstreams: [Endpoint.of('127.0.0.1', healthy.port), Endpoint.of('127.0.0.1', failing.port)],
        healthCheck: { httpPath: '/healthz', interval: Duration.millis(200), fallCount: 1, riseCount: 1 },
      }));
      await proc.waitForPort(listenPort);
    });

    afterAll(async () => {
      agent.destroy();
      await proc?.stop();
      await healthy?.stop();
      await failing?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('the upstream that answers 503 on the check path is marked down', async () => {
      // THEN
      await proc!.waitForOutput('upstreams/upstream-1 is DOWN', 3000);
      expect(failing.paths).toContain('/healthz');
    });

    test('requests go only to the healthy upstream', async () => {
      // WHEN
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await httpGet(listenPort, '/api/items', agent));

      // THEN
      expect(answers.map(x => [x.status, x.body])).toEqual(Array(6).fill([200, 'healthy items\n']));
      expect(failing.paths.filter(p => p !== '/healthz')).toEqual([]);
    });
  });

  describe('the largest values the Ambassador accepts', () => {
    const LONGEST = Duration.millis(2_147_483_647);
    const MAX_CONNECTIONS = 250_000;
    /** containerd 2's default open-file limit of a container (systemd's default hard limit). */
    const CONTAINERD_NOFILE = 524_288;
    let rendered: { args: string[]; configFile: string; dir: string };
    let listenPort: number;
    let proc: RunningProgram | undefined;

    beforeAll(async () => {
      listenPort = await freePort();
      rendered = renderAmbassador({
        name: 'limits',
        listenPort,
        upstreams: [Endpoint.of('127.0.0.1', await freePort()), Endpoint.of('limits.upstream.invalid', 6379)],
        mode: ProxyMode.HTTP,
        healthCheck: { httpPath: '/healthz', interval: LONGEST, fallCount: 2_147_483_647, riseCount: 2_147_483_647 },
        connectTimeout: LONGEST,
        idleTimeout: LONGEST,
        maxConnections: MAX_CONNECTIONS,
      });
    });

    afterAll(async () => {
      await proc?.stop();
      if (rendered?.dir) fs.rmSync(rendered.dir, { recursive: true, force: true });
    });

    test('haproxy -c accepts the longest timeouts and check interval, the largest counts and maxConnections', () => {
      // GIVEN
      const cfg = fs.readFileSync(rendered.configFile, 'utf8');
      expect(cfg).toContain('  timeout connect 2147483647ms\n');
      expect(cfg).toContain('  maxconn 250000\n');

      // WHEN
      const check = runToCompletion(haproxy, ['-c', '-f', rendered.configFile]);

      // THEN
      expect(check.output).toContain('Configuration file is valid');
      expect(check.status).toBe(0);
    });

    test('haproxy -c refuses one millisecond more: the timer limit is HAProxy\'s own', () => {
      // GIVEN the same configuration with the idle timeout one millisecond longer
      const cfg = substitute(fs.readFileSync(rendered.configFile, 'utf8'), [
        { reason: 'one millisecond past the longest accepted timeout', from: 'timeout client 2147483647ms', to: 'timeout client 2147483648ms' },
      ]);
      const longer = writeFile(rendered.dir, 'longer.cfg', cfg);

      // WHEN
      const check = runToCompletion(haproxy, ['-c', '-f', longer]);

      // THEN
      expect(check.output).toContain('timer overflow in argument \'2147483648ms\' to \'timeout client\'');
      expect(check.status).not.toBe(0);
    });

    test('with the largest maxConnections haproxy needs fewer file descriptors than containerd 2 gives a container', async () => {
      // WHEN it starts under an open-file limit of 1024, which it raises only where it may (root with CAP_SYS_RESOURCE)
      proc = RunningProgram.start('/bin/sh', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', haproxy, ...rendered.args]);
      const refusal = /Cannot raise FD limit to (\d+), limit is 1024/;
      await waitUntil('haproxy to listen or to refuse its open-file limit',
        async () => refusal.test(proc!.output) || acceptsConnections(listenPort), 10_000);

      // THEN either it started, or it names the limit it needs: two descriptors per connection plus a few, within 524288
      const refused = refusal.exec(proc.output);
      if (refused) {
        const needed = Number(refused[1]);
        expect(needed).toBeGreaterThan(2 * MAX_CONNECTIONS);
        expect(needed).toBeLessThanOrEqual(CONTAINERD_NOFILE);
      } else {
        expect(await acceptsConnections(listenPort)).toBe(true);
      }
    });
  });
});
