/**
 * The HttpAdapter's nginx.conf, taken out of the synthesized ConfigMap, run by
 * the real nginx on 127.0.0.1 in front of a tiny app in this process.
 *
 * Every test synthesizes its own chart with free local ports and starts its
 * own app and nginx, so no test depends on another. Two substitutions remain,
 * both for running outside a Pod: the files nginx writes go to a temporary
 * directory instead of the Pod's /tmp emptyDir, and the listener binds
 * 127.0.0.1 instead of every address of the Pod. The command line is the
 * container's, with the config file moved.
 */
import * as fs from 'fs';
import * as http from 'http';
import { HttpAdapter, HttpRoute, StatelessService } from '../../src';
import { newChart, synth } from '../util';
import { commandLine, configMapFile, substitute, Substitution, writeFile } from './support/manifests';
import { describeWithProgram, freePort, RunningProgram, runToCompletion, tempDir } from './support/programs';
import { CannedResponse, httpGet, LocalServer, startHttpServer } from './support/upstreams';

const METRICS = '# HELP app_up Whether the app is up.\n# TYPE app_up gauge\napp_up 1\n';
const HEALTH: HttpRoute = { path: '/health', upstreamPath: '/metrics' };

/** An app and the adapter in front of it, as one test's GIVEN. */
interface Setup {
  readonly app: LocalServer & { readonly paths: string[] };
  readonly adapterPort: number;
  readonly dir: string;
  readonly configFile: string;
  /** nginx's command line, with the config file moved. */
  readonly args: string[];
}

describeWithProgram('nginx', 'HttpAdapter run by the real nginx', (nginx) => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * Starts an app answering `responses`, synthesizes a service on its port with
   * an adapter for `routes`, and writes the adapter's configuration (with
   * `extra` substitutions, for tests that show what nginx does with a route
   * the library refuses).
   */
  async function render(routes: HttpRoute[], responses: [string, CannedResponse][], extra: Substitution[] = []): Promise<Setup> {
    const app = await startHttpServer(new Map(responses));
    cleanups.push(() => app.stop());
    const adapterPort = await freePort();

    // GIVEN a service on the app's port with an adapter, synthesized like `cdk8s synth`
    const chart = newChart();
    new StatelessService(chart, 'app', {
      container: { image: 'example/app:1.0.0', securityContext: { user: 10001 }, ports: [{ number: app.port, name: 'http' }] },
      patterns: [new HttpAdapter({ port: adapterPort, routes })],
    });
    const manifests = synth(chart);

    const dir = tempDir('http-adapter');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const rendered = configMapFile(manifests, 'http-adapter-config', 'nginx.conf');
    const configFile = writeFile(dir, 'nginx.conf', substitute(rendered, [
      { reason: 'the Pod mounts an emptyDir at /tmp', from: ' /tmp/', to: ` ${dir}/` },
      { reason: 'in the Pod it listens on every address of the Pod', from: `listen ${adapterPort};`, to: `listen 127.0.0.1:${adapterPort};` },
      ...extra,
    ]));
    const [program, ...args] = commandLine(manifests, 'http-adapter');
    expect(program).toBe('nginx');
    const localArgs = substitute(args.join('\n'), [
      { reason: 'the Pod mounts the ConfigMap here', from: '/etc/nginx-adapter/nginx.conf', to: configFile },
    ]).split('\n');
    return { app, adapterPort, dir, configFile, args: localArgs };
  }

  /** `render`, then nginx started on the configuration. */
  async function start(routes: HttpRoute[], responses: [string, CannedResponse][], extra: Substitution[] = []): Promise<Setup> {
    const setup = await render(routes, responses, extra);
    const proc = RunningProgram.start(nginx, setup.args);
    cleanups.push(() => proc.stop());
    await proc.waitForPort(setup.adapterPort);
    return setup;
  }

  const metrics: [string, CannedResponse] = ['/metrics', { status: 200, body: METRICS, contentType: 'text/plain; version=0.0.4' }];

  test('nginx -t accepts the rendered configuration', async () => {
    // GIVEN
    const { args } = await render([HEALTH, { path: '/ready', upstreamPath: '/status?format=short' }], [metrics]);

    // WHEN
    const check = runToCompletion(nginx, ['-t', ...args]);

    // THEN
    expect(check.output).toContain('test is successful');
    expect(check.status).toBe(0);
  });

  test('/health on the adapter port returns the app\'s /metrics', async () => {
    // GIVEN
    const { app, adapterPort } = await start([HEALTH], [metrics]);

    // WHEN
    const answer = await httpGet(adapterPort, '/health');

    // THEN
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(METRICS);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(app.paths).toEqual(['/metrics']);
  });

  test('an upstream path with a query string or percent-encoding is passed as written', async () => {
    // GIVEN
    const { app, adapterPort } = await start(
      [{ path: '/ready', upstreamPath: '/status?format=short' }, { path: '/page', upstreamPath: '/status%20page' }],
      [['/status?format=short', { status: 200, body: 'ok\n' }], ['/status%20page', { status: 200, body: 'page\n' }]]);

    // WHEN
    const ready = await httpGet(adapterPort, '/ready');
    const page = await httpGet(adapterPort, '/page');

    // THEN
    expect([ready.status, ready.body, page.status, page.body]).toEqual([200, 'ok\n', 200, 'page\n']);
    expect(app.paths).toEqual(['/status?format=short', '/status%20page']);
  });

  test('paths without a route answer 404 and never reach the app', async () => {
    // GIVEN
    const { app, adapterPort } = await start([HEALTH], [metrics]);

    // WHEN
    const answers = await Promise.all(['/metrics', '/', '/health/extra'].map(p => httpGet(adapterPort, p)));

    // THEN
    expect(answers.map(a => a.status)).toEqual([404, 404, 404]);
    expect(app.paths).toEqual([]);
  });

  test('connections to the app are kept alive and reused', async () => {
    // GIVEN
    const { app, adapterPort } = await start([HEALTH], [metrics]);

    // WHEN: requests from a new client connection each time
    for (let i = 0; i < 6; i++) expect((await httpGet(adapterPort, '/health')).status).toBe(200);

    // THEN: the adapter opened one connection to the app and reused it
    expect(app.paths).toHaveLength(6);
    expect(app.connections()).toBe(1);
  });

  test('answers 502 when the app is down', async () => {
    // GIVEN
    const { app, adapterPort } = await start([HEALTH], [metrics]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());

    // WHEN
    await app.stop();
    const down = await httpGet(adapterPort, '/health', agent);

    // THEN
    expect(down.status).toBe(502);
  });

  test('serves the longest route path (256 characters) and upstream path (4000 characters) accepted', async () => {
    // GIVEN
    const path = `/${'p'.repeat(255)}`;
    const upstreamPath = `/${'u'.repeat(3999)}`;
    const { app, adapterPort, args } = await start([{ path, upstreamPath }], [[upstreamPath, { status: 200, body: 'long\n' }]]);

    // WHEN
    const check = runToCompletion(nginx, ['-t', ...args]);
    const answer = await httpGet(adapterPort, path);

    // THEN
    expect(check.status).toBe(0);
    expect([answer.status, answer.body]).toEqual([200, 'long\n']);
    expect(app.paths).toEqual([upstreamPath]);
  });

  test('nginx before 1.23.4 never matches a route one character longer (ticket #2435)', async () => {
    // GIVEN the configuration of the longest accepted route, with the route made 257 characters long
    const path = `/${'p'.repeat(255)}`;
    const longer = `/${'p'.repeat(256)}`;
    const { app, adapterPort } = await start([{ path, upstreamPath: '/metrics' }], [metrics], [
      { reason: 'a route longer than the library accepts', from: `location = ${path} {`, to: `location = ${longer} {` },
    ]);
    const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(runToCompletion(nginx, ['-v']).output)!.slice(1).map(Number);
    const fixed = version[0] > 1 || version[1] > 23 || (version[1] === 23 && version[2] >= 4);

    // WHEN
    const answer = await httpGet(adapterPort, longer);

    // THEN: older nginx answers 404 without asking the app; nginx 1.23.4 and later match it
    expect(answer.status).toBe(fixed ? 200 : 404);
    expect(app.paths).toEqual(fixed ? ['/metrics'] : []);
  });

  test('nginx refuses an upstream path that does not fit its 4 KiB configuration buffer', async () => {
    // GIVEN the configuration of the longest accepted upstream path, made 4086 characters long
    const upstreamPath = `/${'u'.repeat(3999)}`;
    const { args } = await render([{ path: '/health', upstreamPath }], [metrics], [
      { reason: 'an upstream path longer than the library accepts', from: `http://app${upstreamPath};`, to: `http://app/${'u'.repeat(4085)};` },
    ]);

    // WHEN
    const check = runToCompletion(nginx, ['-t', ...args]);

    // THEN
    expect(check.output).toContain('too long parameter "http://app..." started');
    expect(check.status).not.toBe(0);
  });

  test('nginx matches routes against the decoded, normalized request path (why "%" and "//" in a route are refused)', async () => {
    // GIVEN routes written with percent-encoding and an empty segment, which the library refuses
    const { app, adapterPort } = await start(
      [{ path: '/encoded', upstreamPath: '/metrics' }, { path: '/c/d', upstreamPath: '/metrics' }], [metrics], [
        { reason: 'a percent-encoded route', from: 'location = /encoded {', to: 'location = /a%20b {' },
        { reason: 'a route with an empty segment', from: 'location = /c/d {', to: 'location = /c//d {' },
      ]);

    // WHEN
    const statuses = [];
    for (const p of ['/a%20b', '/a%2520b', '/c//d', '/c/d']) statuses.push((await httpGet(adapterPort, p)).status);

    // THEN: "/a%20b" answers "/a%2520b" only, and "/c//d" answers nothing
    expect(statuses).toEqual([404, 200, 404, 404]);
    expect(app.paths).toEqual(['/metrics']);
  });
});
