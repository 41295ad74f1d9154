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
import { describeWithProgram, freePort, RunningProgram, runToCompletion, tempDir } from './support/programs';
import { CannedResponse, httpGet, lineRequest, LocalServer, startHttpServer, startLineServer } from './support/upstreams';

/** Synthesizes a service with the ambassador and starts the real haproxy on its configuration. */
function startAmbassador(haproxy: string, props: AmbassadorProps): { proc: RunningProgram; configFile: string; dir: string } {
  // GIVEN a chart with the ambassador, synthesized like `cdk8s synth`
  const chart = newChart();
  new StatelessService(chart, 'app', {
    container: { image: 'example/app:1.0.0', ports: [{ number: 1 }] },
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
  return { proc: RunningProgram.start(haproxy, localArgs), configFile, dir };
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
});
