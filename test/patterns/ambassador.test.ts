import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Ambassador, AmbassadorProps, BalanceAlgorithm, Endpoint, KubernetesVersion, ProxyMode, SidecarMode, StatelessService,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const REDIS = [
  Endpoint.of('redis-0.redis-headless.data.svc.cluster.local', 6379),
  Endpoint.of('redis-1.redis-headless.data.svc.cluster.local', 6379),
];

/** A chart with one web service whose Pod carries the given patterns. */
function webWith(props: Partial<{ sidecarMode: SidecarMode; kubernetesVersion: KubernetesVersion }>, ...patterns: Ambassador[]) {
  const chart = newChart();
  const web = new StatelessService(chart, 'web', {
    container: { image: 'example/web:1.0.0', ports: [{ number: 8080, name: 'http' }] },
    patterns,
    ...props,
  });
  return { chart, web };
}

function haproxyConfig(manifests: any[], pattern = 'ambassador'): string {
  return only(manifests, 'ConfigMap', `${pattern}-config`).data['haproxy.cfg'];
}

function container(spec: any, name: string): any {
  const found = [...(spec.initContainers ?? []), ...spec.containers].filter((c: any) => c.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

function ambassador(props: Partial<AmbassadorProps> = {}): Ambassador {
  return new Ambassador({ listenPort: 6379, upstreams: REDIS, ...props });
}

describe('Ambassador', () => {
  test('defaults', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador());

    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('adds a pinned HAProxy sidecar as its numeric user, with the config mounted read-only', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador());

    // WHEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    const proxy = container(spec, 'ambassador');

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'ambassador']);
    expect(proxy.image).toBe('haproxy:2.8.11-alpine');
    expect(proxy.command).toEqual(['haproxy']);
    expect(proxy.args).toEqual(['-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg']);
    expect(proxy.securityContext).toMatchObject({
      runAsUser: 99,
      runAsGroup: 99,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(proxy.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(proxy.volumeMounts).toEqual([{ mountPath: '/usr/local/etc/haproxy', name: 'ambassador-config', readOnly: true }]);
    const configMap = only(manifests, 'ConfigMap', 'ambassador-config');
    expect(spec.volumes).toContainEqual({ name: 'ambassador-config', configMap: { name: configMap.metadata.name } });
    expect(Object.keys(configMap.data)).toEqual(['haproxy.cfg']);
  });

  test('the listen port is declared on the proxy but never exposed on the Service', () => {
    // GIVEN
    const { chart, web } = webWith({}, ambassador());

    // WHEN
    const manifests = synth(chart);

    // THEN
    expect(container(podSpec(only(manifests, 'Deployment')), 'ambassador').ports).toEqual([{ containerPort: 6379 }]);
    expect(only(manifests, 'Service').spec.ports.map((p: any) => p.port)).toEqual([8080]);
    expect(web.podPorts.map(p => p.port)).toEqual([8080]);
  });

  test('injects the local address into the app container under a name derived from the pattern name', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador({ name: 'redis-proxy' }));

    // WHEN
    const app = container(podSpec(only(synth(chart), 'Deployment')), 'app');

    // THEN
    expect(app.env).toEqual([{ name: 'REDIS_PROXY_ADDR', value: '127.0.0.1:6379' }]);
  });

  test('injects the local address under the envVar given', () => {
    // GIVEN
    const amb = ambassador({ name: 'redis', envVar: 'REDIS_ADDR' });
    const { chart } = webWith({}, amb);

    // WHEN
    const app = container(podSpec(only(synth(chart), 'Deployment')), 'app');

    // THEN
    expect(app.env).toEqual([{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);
    expect(amb.address).toBe('127.0.0.1:6379');
    expect(amb.envVar).toBe('REDIS_ADDR');
  });

  test('binds on the loopback address only', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador());

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    const binds = cfg.split('\n').filter(l => l.trim().startsWith('bind '));
    expect(binds).toEqual(['  bind 127.0.0.1:6379']);
  });

  test('resolves upstreams at runtime and starts when they do not resolve yet', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador());

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('resolvers pod-dns\n  parse-resolv-conf\n');
    expect(cfg).toContain('  hold valid 10s\n');
    expect(cfg).toContain('  default-server init-addr last,libc,none resolvers pod-dns\n');
    expect(cfg).toContain('  default-server resolve-prefer ipv4\n');
  });

  test('renders one health-checked server per upstream, named after its first DNS label', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador());

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  default-server check inter 2s fall 3 rise 2\n');
    expect(cfg.split('\n').filter(l => l.trim().startsWith('server '))).toEqual([
      '  server redis-0 redis-0.redis-headless.data.svc.cluster.local:6379',
      '  server redis-1 redis-1.redis-headless.data.svc.cluster.local:6379',
    ]);
  });

  test('names servers uniquely when upstreams share a first label, and brackets IPv6 addresses', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador({
      upstreams: [Endpoint.of('cache.a.example.com', 11211), Endpoint.of('cache.b.example.com', 11211), Endpoint.of('fd00::1', 11211)],
    }));

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg.split('\n').filter(l => l.trim().startsWith('server '))).toEqual([
      '  server cache-0 cache.a.example.com:11211',
      '  server cache-1 cache.b.example.com:11211',
      '  server upstream-2 [fd00::1]:11211',
    ]);
  });

  test('completes Service names ending in .svc with the cluster domain', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador({
      upstreams: [Endpoint.of('redis.data.svc', 6379)],
      clusterDomain: 'corp.internal',
    }));

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  server redis redis.data.svc.corp.internal:6379\n');
  });

  test('TCP mode by default: long idle timeouts, TCP keep-alives, retries on another upstream', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador());

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  mode tcp\n');
    expect(cfg).toContain('  option clitcpka\n  option srvtcpka\n');
    expect(cfg).toContain('  retries 3\n  option redispatch 1\n');
    expect(cfg).toContain('  timeout connect 5s\n  timeout client 30m\n  timeout server 30m\n');
    expect(cfg).toContain('  balance roundrobin\n');
    expect(cfg).toContain('  maxconn 1024\n');
    expect(cfg).not.toContain('httpchk');
    expect(cfg).not.toMatch(/^\s*stats /m);
    expect(cfg).not.toMatch(/^\s*pidfile /m);
  });

  test('HTTP mode with an HTTP health check, balance, timeouts and connection limit', () => {
    // GIVEN
    const amb = ambassador({
      mode: ProxyMode.HTTP,
      balance: BalanceAlgorithm.LEAST_CONNECTIONS,
      healthCheck: { httpPath: '/healthz', interval: Duration.millis(500), fallCount: 2, riseCount: 1 },
      connectTimeout: Duration.seconds(2),
      idleTimeout: Duration.seconds(90),
      maxConnections: 256,
    });
    const { chart } = webWith({}, amb);

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  mode http\n');
    expect(cfg).not.toContain('clitcpka');
    expect(cfg).toContain('  timeout connect 2s\n  timeout client 90s\n  timeout server 90s\n');
    expect(cfg).toContain('  timeout http-request 10s\n  timeout http-keep-alive 10s\n');
    expect(cfg).toContain('  default-server check inter 500ms fall 2 rise 1\n');
    expect(cfg).toContain('  balance leastconn\n  option httpchk GET /healthz\n');
    expect(cfg).toContain('  maxconn 256\n');
  });

  test('HTTP mode idles out after 60 seconds by default', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador({ mode: ProxyMode.HTTP }));

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  timeout client 1m\n  timeout server 1m\n');
  });

  test('image and resources can be overridden', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador({
      image: 'registry.example.com/haproxy:2.8.11-alpine',
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
      },
    }));

    // WHEN
    const proxy = container(podSpec(only(synth(chart), 'Deployment')), 'ambassador');

    // THEN
    expect(proxy.image).toBe('registry.example.com/haproxy:2.8.11-alpine');
    expect(proxy.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } });
  });

  test('in NATIVE mode the proxy is a native sidecar that starts before the app', () => {
    // GIVEN
    const { chart } = webWith({ sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29 }, ambassador());

    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['ambassador', 'Always']]);
    expect(spec.initContainers[0].volumeMounts).toEqual([{ mountPath: '/usr/local/etc/haproxy', name: 'ambassador-config', readOnly: true }]);
    expect(container(spec, 'app').env).toEqual([{ name: 'AMBASSADOR_ADDR', value: '127.0.0.1:6379' }]);
  });

  test('the config is hashed into the Pod template, so a change of upstreams rolls the Pods', () => {
    // GIVEN
    const hashOf = (upstreams: Endpoint[]) => {
      const { chart } = webWith({}, ambassador({ upstreams }));
      return only(synth(chart), 'Deployment').spec.template.metadata.annotations['container-patterns.cdk8s.io/config-hash'];
    };

    // WHEN
    const before = hashOf(REDIS);
    const after = hashOf([REDIS[0]]);

    // THEN
    expect(before).toMatch(/^[0-9a-f]{16}$/);
    expect(after).not.toBe(before);
  });

  test('two ambassadors in one Pod get their own containers, configs and env vars', () => {
    // GIVEN
    const { chart } = webWith({},
      ambassador({ name: 'redis', envVar: 'REDIS_ADDR' }),
      new Ambassador({ name: 'memcached', listenPort: 11211, upstreams: [Endpoint.of('memcached.cache.svc', 11211)] }));

    // WHEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));

    // THEN
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'redis', 'memcached']);
    expect(container(spec, 'app').env).toEqual([
      { name: 'REDIS_ADDR', value: '127.0.0.1:6379' },
      { name: 'MEMCACHED_ADDR', value: '127.0.0.1:11211' },
    ]);
    expect(haproxyConfig(manifests, 'memcached')).toContain('  bind 127.0.0.1:11211\n');
    expect(haproxyConfig(manifests, 'redis')).toContain('  bind 127.0.0.1:6379\n');
  });

  test('fails when there are no upstreams', () => {
    expect(errorOf(() => new Ambassador({ name: 'redis', listenPort: 6379, upstreams: [] }))).toBe(
      'Ambassador "redis": upstreams must list at least one endpoint (got []). Fix: pass the endpoints to forward to, '
      + 'e.g. upstreams: [Endpoint.of("redis-0.redis-headless.data.svc.cluster.local", 6379)].');
  });

  test('fails when the listen port is a port of the app container', () => {
    // GIVEN
    const amb = ambassador({ listenPort: 8080, envVar: 'REDIS_ADDR' });

    // THEN
    expect(errorOf(() => webWith({}, amb))).toBe(
      '[test/web/ambassador] Ambassador "ambassador": listenPort 8080 is already a port of the app container "app" ("http"); the containers of a '
      + 'Pod share one network namespace, so only one of them can listen on it. Fix: choose another listenPort and point '
      + 'the app at it through REDIS_ADDR.');
  });

  test.each([0, 70000, 63.5])('fails when the listen port is %p', (port) => {
    expect(errorOf(() => ambassador({ listenPort: port }))).toBe(
      `Ambassador "ambassador": listenPort must be an integer between 1 and 65535 (got ${port}). `
      + 'Fix: use the port the app expects its dependency on, e.g. 6379 for Redis.');
  });

  test('fails when an upstream port is out of range', () => {
    expect(errorOf(() => ambassador({ upstreams: [{ host: 'redis.data.svc', port: 0, url: 'redis.data.svc:0' }] }))).toBe(
      'Ambassador "ambassador": upstream "redis.data.svc" has port 0; it must be an integer between 1 and 65535.');
  });

  test('fails when an upstream is a single-label name the proxy could never resolve', () => {
    expect(errorOf(() => ambassador({ upstreams: [Endpoint.of('redis', 6379)] }))).toBe(
      'Ambassador "ambassador": upstream host "redis" is a single-label name. The proxy resolves names through the Pod\'s '
      + 'DNS server without the Pod\'s search list, so it would never resolve. Fix: use the fully qualified name, e.g. '
      + '"redis.<namespace>.svc.cluster.local".');
  });

  test('fails when an upstream host is not a DNS name', () => {
    expect(errorOf(() => ambassador({ upstreams: [{ host: 'redis;evil', port: 6379, url: 'redis;evil:6379' }] }))).toBe(
      'Ambassador "ambassador": upstream host must be a DNS name or an IP address (got "redis;evil").');
  });

  test('fails when an upstream is listed twice', () => {
    expect(errorOf(() => ambassador({ upstreams: [Endpoint.of('redis.data.svc', 6379), Endpoint.of('redis.data.svc.cluster.local', 6379)] })))
      .toBe('Ambassador "ambassador": upstream redis.data.svc.cluster.local:6379 is listed twice. Fix: list each endpoint once.');
  });

  test('fails when an HTTP health check path is given in TCP mode', () => {
    expect(errorOf(() => ambassador({ healthCheck: { httpPath: '/healthz' } }))).toBe(
      'Ambassador "ambassador": healthCheck.httpPath "/healthz" needs mode ProxyMode.HTTP (got mode "tcp"); a TCP proxy can '
      + 'only check that upstreams accept connections. Fix: set mode: ProxyMode.HTTP or drop httpPath.');
  });

  test('fails when the HTTP health check path is relative', () => {
    expect(errorOf(() => ambassador({ mode: ProxyMode.HTTP, healthCheck: { httpPath: 'healthz' } }))).toBe(
      'Ambassador "ambassador": healthCheck.httpPath must be an absolute URL path like "/healthz", without spaces or quotes (got "healthz").');
  });

  test('fails when a health check count is below 1', () => {
    expect(errorOf(() => ambassador({ healthCheck: { fallCount: 0 } }))).toBe(
      'Ambassador "ambassador": healthCheck.fallCount must be an integer >= 1 (got 0).');
  });

  test('fails when the health check interval is too short', () => {
    expect(errorOf(() => ambassador({ healthCheck: { interval: Duration.millis(10) } }))).toBe(
      'Ambassador "ambassador": healthCheck.interval must be at least 100 milliseconds (got 10 ms).');
  });

  test('fails when a timeout is zero', () => {
    expect(errorOf(() => ambassador({ idleTimeout: Duration.millis(0) }))).toBe(
      'Ambassador "ambassador": idleTimeout must be at least 1 millisecond (got 0 ms).');
  });

  test('fails when maxConnections is below 1', () => {
    expect(errorOf(() => ambassador({ maxConnections: 0 }))).toBe(
      'Ambassador "ambassador": maxConnections must be an integer >= 1 (got 0).');
  });

  test('fails when the cluster domain is not a DNS name', () => {
    expect(errorOf(() => ambassador({ clusterDomain: '.cluster.local' }))).toBe(
      'Ambassador "ambassador": clusterDomain must be a DNS name like "cluster.local" (got ".cluster.local").');
  });

  test('fails when the env var is already set on the app container', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: { image: 'example/web:1.0.0', ports: [{ number: 8080 }], envVariables: { REDIS_ADDR: kplus.EnvValue.fromValue('x') } },
    });

    // THEN
    expect(errorOf(() => web.addPattern(ambassador({ envVar: 'REDIS_ADDR' })))).toBe(
      '[test/web/ambassador] env var REDIS_ADDR is already set on container "app"; setting it again would silently replace it. '
      + 'Fix: use a different name or prefix.');
  });

  test('fails at synth when another container uses the listen port', () => {
    // GIVEN
    const { chart } = webWith({},
      ambassador({ name: 'redis' }),
      new Ambassador({ name: 'other', listenPort: 6379, upstreams: [Endpoint.of('other.data.svc', 6379)] }));

    // THEN
    expect(errorOf(() => synth(chart))).toContain(
      'container port 6379/TCP is declared by containers "redis" and "other"; the containers of a Pod share one network '
      + 'namespace, so only one of them can listen on it. Fix: move one of them to a different port.');
  });
});
