/**
 * The HttpAdapter's nginx.conf, taken out of the synthesized ConfigMap, run by
 * the real nginx on 127.0.0.1 in front of a tiny app in this process.
 *
 * The chart is synthesized with free local ports. Two substitutions remain,
 * both for running outside a Pod: the files nginx writes go to a temporary
 * directory instead of the Pod's /tmp emptyDir, and the listener binds
 * 127.0.0.1 instead of every address of the Pod. The command line is the
 * container's, with the config file moved.
 */
import * as fs from 'fs';
import * as http from 'http';
import { HttpAdapter, StatelessService } from '../../src';
import { newChart, synth } from '../util';
import { commandLine, configMapFile, substitute, writeFile } from './support/manifests';
import { describeWithProgram, freePort, RunningProgram, runToCompletion, tempDir } from './support/programs';
import { CannedResponse, httpGet, LocalServer, startHttpServer } from './support/upstreams';

const METRICS = '# HELP app_up Whether the app is up.\n# TYPE app_up gauge\napp_up 1\n';

describeWithProgram('nginx', 'HttpAdapter run by the real nginx', (nginx) => {
  let app: LocalServer & { paths: string[] };
  let adapterPort: number;
  let proc: RunningProgram | undefined;
  let configFile: string;
  let localArgs: string[];
  let dir: string | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    app = await startHttpServer(new Map<string, CannedResponse>([
      ['/metrics', { status: 200, body: METRICS, contentType: 'text/plain; version=0.0.4' }],
      ['/status?format=short', { status: 200, body: 'ok\n' }],
    ]));
    adapterPort = await freePort();

    // GIVEN a service on the app's port with an adapter, synthesized like `cdk8s synth`
    const chart = newChart();
    new StatelessService(chart, 'app', {
      container: { image: 'example/app:1.0.0', ports: [{ number: app.port, name: 'http' }] },
      patterns: [new HttpAdapter({
        port: adapterPort,
        routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/ready', upstreamPath: '/status?format=short' }],
      })],
    });
    const manifests = synth(chart);

    dir = tempDir('http-adapter');
    const rendered = configMapFile(manifests, 'http-adapter-config', 'nginx.conf');
    configFile = writeFile(dir, 'nginx.conf', substitute(rendered, [
      { reason: 'the Pod mounts an emptyDir at /tmp', from: ' /tmp/', to: ` ${dir}/` },
      { reason: 'in the Pod it listens on every address of the Pod', from: `listen ${adapterPort};`, to: `listen 127.0.0.1:${adapterPort};` },
    ]));
    const [program, ...args] = commandLine(manifests, 'http-adapter');
    expect(program).toBe('nginx');
    localArgs = substitute(args.join('\n'), [
      { reason: 'the Pod mounts the ConfigMap here', from: '/etc/nginx-adapter/nginx.conf', to: configFile },
    ]).split('\n');

    proc = RunningProgram.start(nginx, localArgs);
    await proc.waitForPort(adapterPort);
  });

  afterAll(async () => {
    agent.destroy();
    await proc?.stop();
    await app?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('nginx -t accepts the rendered configuration', () => {
    // WHEN
    const check = runToCompletion(nginx, ['-t', ...localArgs]);

    // THEN
    expect(check.output).toContain('test is successful');
    expect(check.status).toBe(0);
  });

  test('/health on the adapter port returns the app\'s /metrics', async () => {
    // WHEN
    const answer = await httpGet(adapterPort, '/health');

    // THEN
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(METRICS);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(app.paths).toContain('/metrics');
  });

  test('an upstream path with a query string is passed as written', async () => {
    // WHEN
    const answer = await httpGet(adapterPort, '/ready');

    // THEN
    expect([answer.status, answer.body]).toEqual([200, 'ok\n']);
    expect(app.paths).toContain('/status?format=short');
  });

  test('paths without a route answer 404 and never reach the app', async () => {
    // GIVEN
    const before = app.paths.length;

    // WHEN
    const answers = await Promise.all(['/metrics', '/', '/health/extra'].map(p => httpGet(adapterPort, p)));

    // THEN
    expect(answers.map(a => a.status)).toEqual([404, 404, 404]);
    expect(app.paths.length).toBe(before);
  });

  test('connections to the app are kept alive and reused', async () => {
    // GIVEN
    const before = app.connections();

    // WHEN: requests from new client connections each time
    for (let i = 0; i < 5; i++) expect((await httpGet(adapterPort, '/health')).status).toBe(200);

    // THEN: the adapter reused its kept-alive upstream connection
    expect(app.connections()).toBe(before);
    expect(before).toBe(1);
  });

  test('answers 502 when the app is down', async () => {
    // WHEN
    await app.stop();
    const down = await httpGet(adapterPort, '/health', agent);

    // THEN
    expect(down.status).toBe(502);
  });
});
