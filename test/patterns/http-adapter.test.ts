import { Duration, Size } from 'cdk8s';
import { HEALTH, webWith } from './adapter-support';
import { container } from './init-support';
import { HttpAdapter, HttpAdapterProps, KubernetesVersion, SidecarMode } from '../../src';
import { errorOf, only, podSpec, synth } from '../util';

function nginxConfig(manifests: any[], pattern = 'http-adapter'): string {
  return only(manifests, 'ConfigMap', `${pattern}-config`).data['nginx.conf'];
}

function httpAdapter(props: Partial<HttpAdapterProps> = {}): HttpAdapter {
  return new HttpAdapter({ port: 8081, routes: HEALTH, ...props });
}


describe('HttpAdapter', () => {
  test('defaults', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter());

    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('adds a pinned unprivileged nginx sidecar with its config read-only and a writable /tmp', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter());

    // WHEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    const nginx = container(spec, 'http-adapter');

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'http-adapter']);
    expect(nginx.image).toBe(HttpAdapter.DEFAULT_IMAGE);
    expect(HttpAdapter.DEFAULT_IMAGE).toBe('nginxinc/nginx-unprivileged:1.27.2-alpine');
    expect(nginx.command).toEqual(['nginx']);
    expect(nginx.args).toEqual(['-e', 'stderr', '-c', '/etc/nginx-adapter/nginx.conf']);
    expect(nginx.securityContext).toMatchObject({
      runAsUser: 101,
      runAsGroup: 101,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(nginx.volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'http-adapter-tmp' },
      { mountPath: '/etc/nginx-adapter', name: 'http-adapter-config', readOnly: true },
    ]);
    expect(spec.volumes).toContainEqual({ name: 'http-adapter-tmp', emptyDir: { sizeLimit: '64Mi' } });
    const configMap = only(manifests, 'ConfigMap', 'http-adapter-config');
    expect(spec.volumes).toContainEqual({ name: 'http-adapter-config', configMap: { name: configMap.metadata.name } });
  });

  test('the config keeps every file nginx writes under /tmp and runs in the foreground', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter());

    // WHEN
    const cfg = nginxConfig(synth(chart));

    // THEN
    expect(cfg).toContain('daemon off;\n');
    expect(cfg).toContain('pid /tmp/nginx.pid;\n');
    expect(cfg).toContain('error_log stderr warn;\n');
    const paths = cfg.split('\n').filter(l => /_temp_path /.test(l)).map(l => l.trim().split(/\s+/)[1]);
    expect(paths).toHaveLength(5);
    for (const p of paths) expect(p).toMatch(/^\/tmp\/[a-z]+_temp;$/);
  });

  test('maps each route to the app through a kept-alive upstream on the first app port', () => {
    // GIVEN
    const { chart } = webWith({ ports: [{ number: 9000, name: 'web' }, { number: 9001, name: 'admin' }] }, httpAdapter({
      routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/ready', upstreamPath: '/status?format=short' }],
    }));

    // WHEN
    const cfg = nginxConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  upstream app {\n    server 127.0.0.1:9000;\n    keepalive 64;\n  }\n');
    expect(cfg).toContain('    proxy_http_version 1.1;\n    proxy_set_header Connection "";\n');
    expect(cfg).toContain('    listen 8081;\n');
    expect(cfg).toContain('    location = /health {\n      proxy_pass http://app/metrics;\n    }\n');
    expect(cfg).toContain('    location = /ready {\n      proxy_pass http://app/status?format=short;\n    }\n');
    expect(cfg).toContain('    location / {\n      return 404;\n    }\n');
  });

  test('appPort and timeout can be given', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter({ appPort: 9090, timeout: Duration.seconds(5) }));

    // WHEN
    const cfg = nginxConfig(synth(chart));

    // THEN
    expect(cfg).toContain('    server 127.0.0.1:9090;\n');
    expect(cfg).toContain('    proxy_read_timeout 5s;\n    proxy_send_timeout 5s;\n');
  });

  test('declares a named port that the Service does not expose by default', () => {
    // GIVEN
    const { chart, web } = webWith({}, httpAdapter());

    // WHEN
    const manifests = synth(chart);

    // THEN
    expect(container(podSpec(only(manifests, 'Deployment')), 'http-adapter').ports).toEqual([{ containerPort: 8081, name: 'http-adapter' }]);
    expect(only(manifests, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    expect(web.podPorts.map(p => [p.name, p.port, p.exposed])).toEqual([['http', 8080, true], ['http-adapter', 8081, false]]);
  });

  test('exposes its port on the Service when asked, under the port name given', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter({ portName: 'health', expose: true }));

    // WHEN
    const service = only(synth(chart), 'Service');

    // THEN
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 },
      { name: 'health', port: 8081, protocol: 'TCP', targetPort: 8081 },
    ]);
  });

  test('in NATIVE mode the adapter is a native sidecar', () => {
    // GIVEN
    const { chart } = webWith({ sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29 }, httpAdapter());

    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['http-adapter', 'Always']]);
    expect(spec.initContainers[0].ports).toEqual([{ containerPort: 8081, name: 'http-adapter' }]);
  });

  test('runs as the user given', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter({ user: 10101, image: 'registry.example.com/nginx-unprivileged:1.27.2-alpine' }));

    // WHEN
    const nginx = container(podSpec(only(synth(chart), 'Deployment')), 'http-adapter');

    // THEN
    expect(nginx.image).toBe('registry.example.com/nginx-unprivileged:1.27.2-alpine');
    expect(nginx.securityContext).toMatchObject({ runAsUser: 10101, runAsGroup: 10101, runAsNonRoot: true });
  });

  test('serves a route path of 256 characters and an upstream path of 4000, the longest accepted', () => {
    // GIVEN
    const path = `/${'p'.repeat(255)}`;
    const upstreamPath = `/${'u'.repeat(3999)}`;
    const { chart } = webWith({}, httpAdapter({ routes: [{ path, upstreamPath }] }));

    // WHEN
    const cfg = nginxConfig(synth(chart));

    // THEN
    expect(cfg).toContain(`    location = ${path} {\n      proxy_pass http://app${upstreamPath};\n    }\n`);
  });

  test('sends an upstream path with percent-encoding as written', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter({ routes: [{ path: '/health', upstreamPath: '/status%20page?q=a%26b' }] }));

    // WHEN
    const cfg = nginxConfig(synth(chart));

    // THEN
    expect(cfg).toContain('      proxy_pass http://app/status%20page?q=a%26b;\n');
  });

  test('keeps its own copy of the routes and resources', () => {
    // GIVEN
    const routes = [{ path: '/health', upstreamPath: '/metrics' }];
    const resources = { memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } };
    const adapter = httpAdapter({ routes, resources });

    // WHEN: the caller's objects change after construction
    routes.push({ path: '/health', upstreamPath: '/other' });
    routes[0] = { path: 'not a path', upstreamPath: '/x' };
    resources.memory.limit = Size.mebibytes(1);
    const manifests = synth(webWith({}, adapter).chart);

    // THEN
    expect(nginxConfig(manifests).split('\n').filter(l => l.includes('location ='))).toEqual(['    location = /health {']);
    expect(container(podSpec(only(manifests, 'Deployment')), 'http-adapter').resources.limits.memory).toBe('32Mi');
  });

  test('fails when the adapter port is a port of the app container', () => {
    expect(errorOf(() => webWith({}, httpAdapter({ port: 8080 })))).toBe(
      '[test/web/http-adapter] port 8080 is already a port of the app container "app" ("http"); the containers of a Pod '
      + 'share one network namespace, so only one of them can listen on it. Fix: give the adapter its own port.');
  });

  test('fails when the adapter port equals appPort', () => {
    expect(errorOf(() => httpAdapter({ port: 9000, appPort: 9000 }))).toBe(
      '[HttpAdapter "http-adapter"] port and appPort are both 9000; the adapter cannot listen on the app\'s port. '
      + 'Fix: choose another port for the adapter.');
  });

  test('fails when the app has no port and appPort is not given', () => {
    expect(errorOf(() => webWith({ ports: [] }, httpAdapter()))).toBe(
      '[test/web/http-adapter] appPort was not given and the app container "app" declares no ports, so the adapter does '
      + 'not know where the app listens. Fix: set appPort, or declare the port on the app container.');
  });

  test('fails when the port is out of range', () => {
    expect(errorOf(() => httpAdapter({ port: 0 }))).toBe(
      '[HttpAdapter "http-adapter"] port must be an integer between 1 and 65535 (got 0). Fix: use the port the program listens on, e.g. 8080.');
  });

  test('fails when there are no routes', () => {
    expect(errorOf(() => httpAdapter({ routes: [] }))).toBe(
      '[HttpAdapter "http-adapter"] routes must list at least one route (got []). Fix: map a path the adapter serves to a '
      + 'path of the app, e.g. routes: [{ path: "/health", upstreamPath: "/metrics" }].');
  });

  test('fails when a route path is relative', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: 'health', upstreamPath: '/metrics' }] }))).toBe(
      '[HttpAdapter "http-adapter"] route path must be an absolute URL path starting with "/" (got "health"). '
      + 'Fix: write it like "/health".');
  });

  test('fails when a route upstream path is relative', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health', upstreamPath: 'metrics' }] }))).toBe(
      '[HttpAdapter "http-adapter"] route upstreamPath must be an absolute URL path starting with "/" (got "metrics"). '
      + 'Fix: write it like "/health".');
  });

  test('fails when a route path is listed twice', () => {
    expect(errorOf(() => httpAdapter({
      routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/health', upstreamPath: '/status' }],
    }))).toBe(
      '[HttpAdapter "http-adapter"] route path "/health" is listed twice; each path can be answered from only one upstream '
      + 'path. Fix: keep one route per path.');
  });

  test('fails when a route path carries nginx syntax', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health { return 200; }', upstreamPath: '/metrics' }] }))).toBe(
      '[HttpAdapter "http-adapter"] route path "/health { return 200; }" may only contain letters, digits and the URL path '
      + 'characters . _ ~ ! * + , = : @ % / - (no spaces, quotes, query strings or nginx syntax). Fix: write it like "/health".');
  });

  test('fails when a route upstream path carries nginx syntax', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health', upstreamPath: '/metrics;' }] }))).toBe(
      '[HttpAdapter "http-adapter"] route upstreamPath "/metrics;" may only contain letters, digits, the URL path characters '
      + '. _ ~ ! * + , = : @ % / - and a query string (no spaces, quotes or nginx syntax). Fix: write it like "/metrics".');
  });

  test('fails when the timeout is not a whole number of seconds', () => {
    expect(errorOf(() => httpAdapter({ timeout: Duration.millis(1500) }))).toBe(
      '[HttpAdapter "http-adapter"] timeout must be a whole number of seconds, at least 1 (got 1500 ms). '
      + 'Fix: use e.g. Duration.seconds(30) (the default).');
  });

  test('fails when the pattern name cannot serve as the default port name', () => {
    expect(errorOf(() => httpAdapter({ name: 'prometheus-health-adapter' }))).toBe(
      '[HttpAdapter "prometheus-health-adapter"] portName defaults to the pattern name, but "prometheus-health-adapter" is '
      + 'not a valid port name (an IANA service name: at most 15 lowercase letters, digits and single \'-\'). '
      + 'Fix: set portName, e.g. "health".');
  });

  test('fails when a route path is longer than nginx can match', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: `/${'p'.repeat(256)}`, upstreamPath: '/metrics' }] }))).toBe(
      '[HttpAdapter "http-adapter"] route path must have at most 256 characters, as nginx before 1.23.4 never matches a longer '
      + 'route (got 257 characters, starting "/ppppppppppppppppppp"). Fix: use a shorter path.');
  });

  test('fails when a route upstream path is longer than nginx accepts', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health', upstreamPath: `/${'u'.repeat(4000)}` }] }))).toBe(
      '[HttpAdapter "http-adapter"] route upstreamPath must have at most 4000 characters, as nginx refuses longer parameters in '
      + 'its configuration (got 4001 characters, starting "/uuuuuuuuuuuuuuuuuuu"). Fix: use a shorter path.');
  });

  test('fails when a route path is percent-encoded', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/a%20b', upstreamPath: '/metrics' }] }))).toBe(
      '[HttpAdapter "http-adapter"] route path "/a%20b" contains a percent-encoded character; nginx matches routes against the '
      + 'decoded request path, so this route would answer requests for "/a%2520b" instead. Fix: use a path of plain URL '
      + 'characters, e.g. "/health".');
  });

  test.each([
    ['/a//b', '/a/b'],
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/health/.', '/health/'],
  ])('fails when a route path %p is not in its normal form', (path, normal) => {
    expect(errorOf(() => httpAdapter({ routes: [{ path, upstreamPath: '/metrics' }] }))).toBe(
      `[HttpAdapter "http-adapter"] route path "${path}" has an empty, "." or ".." segment; nginx merges "//" and resolves "." and `
      + '".." in the request path before it matches routes, so this route would never match. Fix: write the path in its normal '
      + `form, "${normal}".`);
  });

  test('fails when the timeout is a fraction of a millisecond', () => {
    expect(errorOf(() => httpAdapter({ timeout: Duration.millis(1500.5) }))).toBe(
      '[HttpAdapter "http-adapter"] timeout must be a whole number of milliseconds (got 1 second 500.5 millis). '
      + 'Fix: round it, e.g. Duration.millis(1500).');
  });

  test('fails when portName is not a port name', () => {
    expect(errorOf(() => httpAdapter({ portName: 'Health_Port' }))).toBe(
      '[HttpAdapter "http-adapter"] portName must be an IANA service name: at most 15 lowercase letters, digits and single \'-\', '
      + 'with at least one letter (got "Health_Port"). Fix: use a name like "http" or "metrics".');
  });

  test('fails when the name is too long for its volume names', () => {
    const name = 'h'.repeat(57);
    expect(errorOf(() => httpAdapter({ name, portName: 'health' }))).toBe(
      `[HttpAdapter "${name}"] name must have at most 56 characters, as it names the volume "${name}-config" `
      + `(got "${name}", 57 characters). Fix: use a shorter name.`);
  });

  test('fails when the name is not a DNS label', () => {
    expect(errorOf(() => httpAdapter({ name: 'Health' }))).toBe(
      '[HttpAdapter "Health"] name must be a DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with an '
      + 'alphanumeric, at most 63 characters (got "Health", 6 characters). Fix: use a name like "log-collector".');
  });

  test('fails when the image is empty', () => {
    expect(errorOf(() => httpAdapter({ image: '' }))).toBe(
      '[HttpAdapter "http-adapter"] image is required (got ""). Fix: pass a pinned nginx image like '
      + '"nginxinc/nginx-unprivileged:1.27.2-alpine", or leave image unset.');
  });

  test('fails when the image is not pinned, before it is attached', () => {
    expect(errorOf(() => httpAdapter({ image: 'nginxinc/nginx-unprivileged' }))).toBe(
      '[HttpAdapter "http-adapter"] image "nginxinc/nginx-unprivileged" has no tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "nginxinc/nginx-unprivileged:1.2.3", or a digest.');
  });

  test('fails when the user is root', () => {
    expect(errorOf(() => httpAdapter({ user: 0 }))).toBe(
      '[HttpAdapter "http-adapter"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use the numeric user the image runs nginx as, e.g. 101 for the unprivileged nginx image.');
  });
});
