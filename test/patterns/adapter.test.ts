import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ExporterAdapter, ExporterAdapterProps, HttpAdapter, HttpAdapterProps, IPodPattern, KubernetesVersion, SidecarMode,
  StatelessService,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const HEALTH = [{ path: '/health', upstreamPath: '/metrics' }];

interface WebOptions {
  readonly sidecarMode?: SidecarMode;
  readonly kubernetesVersion?: KubernetesVersion;
  readonly ports?: kplus.ContainerPort[];
}

/** A chart with one web service whose Pod carries the given patterns. */
function webWith(options: WebOptions, ...patterns: IPodPattern[]) {
  const chart = newChart();
  const web = new StatelessService(chart, 'web', {
    container: { image: 'example/web:1.0.0', ports: options.ports ?? [{ number: 8080, name: 'http' }] },
    sidecarMode: options.sidecarMode,
    kubernetesVersion: options.kubernetesVersion,
    patterns,
  });
  return { chart, web };
}

function container(spec: any, name: string): any {
  const found = [...(spec.initContainers ?? []), ...spec.containers].filter((c: any) => c.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

function nginxConfig(manifests: any[], pattern = 'http-adapter'): string {
  return only(manifests, 'ConfigMap', `${pattern}-config`).data['nginx.conf'];
}

function httpAdapter(props: Partial<HttpAdapterProps> = {}): HttpAdapter {
  return new HttpAdapter({ port: 8081, routes: HEALTH, ...props });
}

function exporter(props: Partial<ExporterAdapterProps> = {}): ExporterAdapter {
  return new ExporterAdapter({ image: 'oliver006/redis_exporter:v1.62.0', port: 9121, ...props });
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
    expect(nginx.image).toBe('nginxinc/nginx-unprivileged:1.27.2-alpine');
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

  test('fails when the adapter port is a port of the app container', () => {
    expect(errorOf(() => webWith({}, httpAdapter({ port: 8080 })))).toBe(
      '[test/web/http-adapter] HttpAdapter "http-adapter": port 8080 is already a port of the app container "app" ("http"); the containers of a Pod '
      + 'share one network namespace, so only one of them can listen on it. Fix: give the adapter its own port.');
  });

  test('fails when the adapter port equals appPort', () => {
    expect(errorOf(() => httpAdapter({ port: 9000, appPort: 9000 }))).toBe(
      'HttpAdapter "http-adapter": port and appPort are both 9000; the adapter cannot listen on the app\'s port. '
      + 'Fix: choose another port for the adapter.');
  });

  test('fails when the app has no port and appPort is not given', () => {
    expect(errorOf(() => webWith({ ports: [] }, httpAdapter()))).toBe(
      '[test/web/http-adapter] HttpAdapter "http-adapter": appPort was not given and the app container "app" declares no ports, so the adapter does '
      + 'not know where the app listens. Fix: set appPort, or declare the port on the app container.');
  });

  test('fails when the port is out of range', () => {
    expect(errorOf(() => httpAdapter({ port: 0 }))).toBe(
      'HttpAdapter "http-adapter": port must be an integer between 1 and 65535 (got 0). Fix: use the port the program listens on, e.g. 8080.');
  });

  test('fails when there are no routes', () => {
    expect(errorOf(() => httpAdapter({ routes: [] }))).toBe(
      'HttpAdapter "http-adapter": routes must list at least one route (got []). Fix: map a path the adapter serves to a '
      + 'path of the app, e.g. routes: [{ path: "/health", upstreamPath: "/metrics" }].');
  });

  test('fails when a route path is relative', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: 'health', upstreamPath: '/metrics' }] }))).toBe(
      'HttpAdapter "http-adapter": route path must be an absolute URL path starting with "/" (got "health"). '
      + 'Fix: write it like "/health".');
  });

  test('fails when a route upstream path is relative', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health', upstreamPath: 'metrics' }] }))).toBe(
      'HttpAdapter "http-adapter": route upstreamPath must be an absolute URL path starting with "/" (got "metrics"). '
      + 'Fix: write it like "/health".');
  });

  test('fails when a route path is listed twice', () => {
    expect(errorOf(() => httpAdapter({
      routes: [{ path: '/health', upstreamPath: '/metrics' }, { path: '/health', upstreamPath: '/status' }],
    }))).toBe(
      'HttpAdapter "http-adapter": route path "/health" is listed twice; each path can be answered from only one upstream '
      + 'path. Fix: keep one route per path.');
  });

  test('fails when a route path carries nginx syntax', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health { return 200; }', upstreamPath: '/metrics' }] }))).toBe(
      'HttpAdapter "http-adapter": route path "/health { return 200; }" may only contain letters, digits and the URL path '
      + 'characters . _ ~ ! * + , = : @ % / - (no spaces, quotes, query strings or nginx syntax).');
  });

  test('fails when a route upstream path carries nginx syntax', () => {
    expect(errorOf(() => httpAdapter({ routes: [{ path: '/health', upstreamPath: '/metrics;' }] }))).toBe(
      'HttpAdapter "http-adapter": route upstreamPath "/metrics;" may only contain letters, digits, the URL path characters '
      + '. _ ~ ! * + , = : @ % / - and a query string (no spaces, quotes or nginx syntax).');
  });

  test('fails when the timeout is not a whole number of seconds', () => {
    expect(errorOf(() => httpAdapter({ timeout: Duration.millis(1500) }))).toBe(
      'HttpAdapter "http-adapter": timeout must be a whole number of seconds, at least 1 (got 1500 ms).');
  });

  test('fails when the pattern name cannot serve as the default port name', () => {
    expect(errorOf(() => webWith({}, httpAdapter({ name: 'prometheus-health-adapter' })))).toBe(
      '[test/web/prometheus-health-adapter] HttpAdapter "prometheus-health-adapter": portName defaults to the pattern name, but "prometheus-health-adapter" is '
      + 'not a valid port name (an IANA service name: at most 15 lowercase letters, digits and single \'-\'). '
      + 'Fix: set portName, e.g. "health".');
  });
});

describe('ExporterAdapter', () => {
  test('defaults', () => {
    // GIVEN
    const { chart } = webWith({}, exporter());

    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('adds the exporter as a non-root sidecar with a named metrics port', () => {
    // GIVEN
    const { chart, web } = webWith({}, exporter());

    // WHEN
    const manifests = synth(chart);
    const sidecar = container(podSpec(only(manifests, 'Deployment')), 'exporter');

    // THEN
    expect(sidecar.image).toBe('oliver006/redis_exporter:v1.62.0');
    expect(sidecar.ports).toEqual([{ containerPort: 9121, name: 'metrics' }]);
    expect(sidecar.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(sidecar.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(only(manifests, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http']);
    expect(web.podPorts.map(p => [p.name, p.exposed])).toEqual([['http', true], ['metrics', false]]);
  });

  test('adds the Prometheus scrape annotations to the Pod', () => {
    // GIVEN
    const { chart } = webWith({}, exporter({ path: '/scrape' }));

    // WHEN
    const annotations = only(synth(chart), 'Deployment').spec.template.metadata.annotations;

    // THEN
    expect(annotations).toEqual({
      'kubectl.kubernetes.io/default-container': 'app',
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9121',
      'prometheus.io/path': '/scrape',
    });
  });

  test('leaves the annotations out when asked', () => {
    // GIVEN
    const { chart } = webWith({}, exporter({ scrapeAnnotations: false }));

    // WHEN
    const metadata = only(synth(chart), 'Deployment').spec.template.metadata;

    // THEN
    expect(Object.keys(metadata.annotations).filter(k => k.startsWith('prometheus.io/'))).toEqual([]);
  });

  test('passes env, args and the user, and exposes the port when asked', () => {
    // GIVEN
    const { chart } = webWith({}, exporter({
      env: [
        { name: 'REDIS_ADDR', value: kplus.EnvValue.fromValue('redis://127.0.0.1:6379') },
        { name: 'REDIS_PASSWORD', value: kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(newChart(), 's', 'redis'), key: 'password' }) },
      ],
      args: ['--include-system-metrics'],
      user: 59000,
      portName: 'redis-metrics',
      expose: true,
    }));

    // WHEN
    const manifests = synth(chart);
    const sidecar = container(podSpec(only(manifests, 'Deployment')), 'exporter');

    // THEN
    expect(sidecar.env).toEqual([
      { name: 'REDIS_ADDR', value: 'redis://127.0.0.1:6379' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'redis' } } },
    ]);
    expect(sidecar.args).toEqual(['--include-system-metrics']);
    expect(sidecar.command).toBeUndefined();
    expect(sidecar.securityContext).toMatchObject({ runAsUser: 59000, runAsGroup: 59000 });
    expect(only(manifests, 'Service').spec.ports).toContainEqual({ name: 'redis-metrics', port: 9121, protocol: 'TCP', targetPort: 9121 });
  });

  test('in NATIVE mode the exporter is a native sidecar', () => {
    // GIVEN
    const { chart } = webWith({ sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_30 }, exporter());

    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['exporter', 'Always']]);
  });

  test('works next to an HttpAdapter in one Pod', () => {
    // GIVEN
    const { chart } = webWith({}, httpAdapter({ portName: 'health' }), exporter());

    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'http-adapter', 'exporter']);
  });

  test('fails when the exporter port is a port of the app container', () => {
    expect(errorOf(() => webWith({}, exporter({ port: 8080 })))).toBe(
      '[test/web/exporter] ExporterAdapter "exporter": port 8080 is already a port of the app container "app" ("http"); the containers of a Pod '
      + 'share one network namespace, so only one of them can listen on it. Fix: give the adapter its own port.');
  });

  test('fails when the image is missing', () => {
    expect(errorOf(() => exporter({ image: '' }))).toBe(
      'ExporterAdapter "exporter": image is required (got ""). Fix: pass a pinned exporter image, e.g. "oliver006/redis_exporter:v1.62.0".');
  });

  test('fails when the image is not pinned', () => {
    expect(errorOf(() => webWith({}, exporter({ image: 'oliver006/redis_exporter:latest' })))).toBe(
      '[test/web/exporter] sidecar "exporter" image "oliver006/redis_exporter:latest" uses the "latest" tag, so every pull '
      + 'may fetch a different image. Fix: pin a version, e.g. "oliver006/redis_exporter:1.2.3", or a digest.');
  });

  test('fails when the metrics path is relative', () => {
    expect(errorOf(() => exporter({ path: 'metrics' }))).toBe(
      'ExporterAdapter "exporter": path must be an absolute URL path like "/metrics" (got "metrics").');
  });

  test('fails when an env var is listed twice', () => {
    const v = kplus.EnvValue.fromValue('x');
    expect(errorOf(() => exporter({ env: [{ name: 'A', value: v }, { name: 'A', value: v }] }))).toBe(
      'ExporterAdapter "exporter": env var "A" is listed twice. Fix: set each variable once.');
  });

  test('fails when the user is root', () => {
    expect(errorOf(() => exporter({ user: 0 }))).toBe(
      'ExporterAdapter "exporter": user must be a numeric non-root user id >= 1 (got 0).');
  });

  test('fails when two exporters ask for different scrape ports', () => {
    expect(errorOf(() => webWith({}, exporter(), exporter({ name: 'second', port: 9122, portName: 'metrics2' })))).toBe(
      '[test/web/second] pod annotation prometheus.io/port is already set to "9121" (got "9122"). Fix: set each annotation from one place.');
  });
});
