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
    container: { image: 'example/web:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] },
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
    expect(proxy.image).toBe(Ambassador.DEFAULT_IMAGE);
    expect(Ambassador.DEFAULT_IMAGE).toBe('haproxy:2.8.11-alpine');
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

  test('runs as the user given', () => {
    // GIVEN
    const amb = ambassador({ user: 10099, image: 'registry.example.com/haproxy:2.8.11-alpine' });
    const { chart } = webWith({}, amb);

    // WHEN
    const proxy = container(podSpec(only(synth(chart), 'Deployment')), 'ambassador');

    // THEN
    expect(amb.user).toBe(10099);
    expect(proxy.securityContext).toMatchObject({ runAsUser: 10099, runAsGroup: 10099, runAsNonRoot: true });
  });

  test('renders the longest timeouts and interval HAProxy accepts, and the largest maxConnections', () => {
    // GIVEN
    const longest = Duration.millis(2_147_483_647);
    const { chart } = webWith({}, ambassador({
      connectTimeout: longest,
      idleTimeout: longest,
      healthCheck: { interval: longest, fallCount: 2_147_483_647, riseCount: 2_147_483_647 },
      maxConnections: 250_000,
    }));

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg).toContain('  maxconn 250000\n');
    expect(cfg).toContain('  timeout connect 2147483647ms\n  timeout client 2147483647ms\n  timeout server 2147483647ms\n');
    expect(cfg).toContain('  default-server check inter 2147483647ms fall 2147483647 rise 2147483647\n');
  });

  test('accepts IPv4 and IPv6 upstream addresses', () => {
    // GIVEN
    const { chart } = webWith({}, ambassador({
      upstreams: [Endpoint.of('10.0.0.255', 6379), Endpoint.of('0.0.0.1', 6379), Endpoint.of('[fd00::1]', 6379)],
    }));

    // WHEN
    const cfg = haproxyConfig(synth(chart));

    // THEN
    expect(cfg.split('\n').filter(l => l.trim().startsWith('server '))).toEqual([
      '  server upstream-0 10.0.0.255:6379',
      '  server upstream-1 0.0.0.1:6379',
      '  server upstream-2 [fd00::1]:6379',
    ]);
  });

  test('keeps its own copy of the upstreams, health check and resources', () => {
    // GIVEN
    const upstreams = [...REDIS];
    const healthCheck = { fallCount: 3 };
    const resources = { cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) } };
    const amb = ambassador({ upstreams, healthCheck, resources });

    // WHEN: the caller's objects change after construction
    upstreams.push(Endpoint.of('redis', 6379));
    (healthCheck as any).fallCount = 0;
    resources.cpu.limit = kplus.Cpu.millis(1);
    const manifests = synth(webWith({}, amb).chart);

    // THEN
    const cfg = haproxyConfig(manifests);
    expect(cfg.split('\n').filter(l => l.trim().startsWith('server '))).toHaveLength(2);
    expect(cfg).toContain(' fall 3 rise 2\n');
    expect(container(podSpec(only(manifests, 'Deployment')), 'ambassador').resources.limits.cpu).toBe('100m');
  });

  test('fails when there are no upstreams', () => {
    expect(errorOf(() => new Ambassador({ name: 'redis', listenPort: 6379, upstreams: [] }))).toBe(
      '[Ambassador "redis"] upstreams must list at least one endpoint (got []). Fix: pass the endpoints to forward to, '
      + 'e.g. upstreams: [Endpoint.of("redis-0.redis-headless.data.svc.cluster.local", 6379)].');
  });

  test('fails when the listen port is a port of the app container', () => {
    // GIVEN
    const amb = ambassador({ listenPort: 8080, envVar: 'REDIS_ADDR' });

    // THEN
    expect(errorOf(() => webWith({}, amb))).toBe(
      '[test/web/ambassador] listenPort 8080 is already a port of the app container "app" ("http"); the containers of a '
      + 'Pod share one network namespace, so only one of them can listen on it. Fix: choose another listenPort and point '
      + 'the app at it through REDIS_ADDR.');
  });

  test.each([0, 70000, 63.5])('fails when the listen port is %p', (port) => {
    expect(errorOf(() => ambassador({ listenPort: port }))).toBe(
      `[Ambassador "ambassador"] listenPort must be an integer between 1 and 65535 (got ${port}). `
      + 'Fix: use the port the app expects its dependency on, e.g. 6379 for Redis.');
  });

  test('fails when an upstream port is out of range', () => {
    expect(errorOf(() => ambassador({ upstreams: [{ host: 'redis.data.svc', port: 0, url: 'redis.data.svc:0' }] }))).toBe(
      '[Ambassador "ambassador"] upstream "redis.data.svc" port must be an integer between 1 and 65535 (got 0). '
      + 'Fix: use the port the upstream listens on, e.g. 6379.');
  });

  test('fails when an upstream is a single-label name the proxy could never resolve', () => {
    expect(errorOf(() => ambassador({ upstreams: [Endpoint.of('redis', 6379)] }))).toBe(
      '[Ambassador "ambassador"] upstream host "redis" is a single-label name. The proxy resolves names through the Pod\'s '
      + 'DNS server without the Pod\'s search list, so it would never resolve. Fix: use the fully qualified name, e.g. '
      + '"redis.<namespace>.svc.cluster.local".');
  });

  test('fails when an upstream host is not a DNS name', () => {
    expect(errorOf(() => ambassador({ upstreams: [{ host: 'redis;evil', port: 6379, url: 'redis;evil:6379' }] }))).toBe(
      '[Ambassador "ambassador"] upstream host must be a DNS name or an IP address (got "redis;evil"). '
      + 'Fix: use a name like "redis-0.redis-headless.data.svc.cluster.local" or an address like "10.0.0.7".');
  });

  test('fails when an upstream is listed twice', () => {
    expect(errorOf(() => ambassador({ upstreams: [Endpoint.of('redis.data.svc', 6379), Endpoint.of('redis.data.svc.cluster.local', 6379)] })))
      .toBe('[Ambassador "ambassador"] upstream redis.data.svc.cluster.local:6379 is listed twice. Fix: list each endpoint once.');
  });

  test('fails when an HTTP health check path is given in TCP mode', () => {
    expect(errorOf(() => ambassador({ healthCheck: { httpPath: '/healthz' } }))).toBe(
      '[Ambassador "ambassador"] healthCheck.httpPath "/healthz" needs mode ProxyMode.HTTP (got mode "tcp"); a TCP proxy can '
      + 'only check that upstreams accept connections. Fix: set mode: ProxyMode.HTTP or drop httpPath.');
  });

  test('fails when the HTTP health check path is relative', () => {
    expect(errorOf(() => ambassador({ mode: ProxyMode.HTTP, healthCheck: { httpPath: 'healthz' } }))).toBe(
      '[Ambassador "ambassador"] healthCheck.httpPath must be an absolute URL path without spaces or quotes (got "healthz"). '
      + 'Fix: write it like "/healthz".');
  });

  test('fails when a health check count is below 1', () => {
    expect(errorOf(() => ambassador({ healthCheck: { fallCount: 0 } }))).toBe(
      '[Ambassador "ambassador"] healthCheck.fallCount must be an integer between 1 and 2147483647 (got 0). '
      + 'Fix: use a small count, e.g. 3 (the default).');
  });

  test('fails when the health check interval is too short', () => {
    expect(errorOf(() => ambassador({ healthCheck: { interval: Duration.millis(10) } }))).toBe(
      '[Ambassador "ambassador"] healthCheck.interval must be at least 100 milliseconds (got 10 ms). '
      + 'Fix: use e.g. Duration.seconds(2) (the default).');
  });

  test('fails when a timeout is zero', () => {
    expect(errorOf(() => ambassador({ idleTimeout: Duration.millis(0) }))).toBe(
      '[Ambassador "ambassador"] idleTimeout must be at least 1 millisecond (got 0 ms). Fix: use e.g. Duration.minutes(30) (the default).');
  });

  test('fails when maxConnections is below 1', () => {
    expect(errorOf(() => ambassador({ maxConnections: 0 }))).toBe(
      '[Ambassador "ambassador"] maxConnections must be an integer >= 1 (got 0). '
      + 'Fix: use the most connections the app opens at once, e.g. 1024 (the default).');
  });

  test('fails when the cluster domain is not a DNS name', () => {
    expect(errorOf(() => ambassador({ clusterDomain: '.cluster.local' }))).toBe(
      '[Ambassador "ambassador"] clusterDomain must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', '
      + 'at most 253 characters (got ".cluster.local"). Fix: use a name like "cluster.local".');
  });

  test('fails when the env var is already set on the app container', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: { image: 'example/web:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080 }], envVariables: { REDIS_ADDR: kplus.EnvValue.fromValue('x') } },
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

  test.each([
    ['idleTimeout', { idleTimeout: Duration.days(30) }, 2592000000, 'Duration.minutes(30)'],
    ['connectTimeout', { connectTimeout: Duration.millis(2_147_483_648) }, 2147483648, 'Duration.seconds(5)'],
    ['healthCheck.interval', { healthCheck: { interval: Duration.days(25) } }, 2160000000, 'Duration.seconds(2)'],
  ])('fails when %s is beyond HAProxy\'s timer range', (what, props, ms, example) => {
    expect(errorOf(() => ambassador(props as Partial<AmbassadorProps>))).toBe(
      `[Ambassador "ambassador"] ${what} must be at most 2147483647 milliseconds (about 24.8 days), the longest timer HAProxy `
      + `accepts (got ${ms} ms). Fix: use at most Duration.days(24), e.g. ${example} (the default).`);
  });

  test('fails when a timeout is a fraction of a millisecond', () => {
    expect(errorOf(() => ambassador({ connectTimeout: Duration.millis(1500.5) }))).toBe(
      '[Ambassador "ambassador"] connectTimeout must be a whole number of milliseconds (got 1 second 500.5 millis). '
      + 'Fix: round it, e.g. Duration.millis(1500).');
  });

  test('fails when maxConnections is more than HAProxy can start with', () => {
    expect(errorOf(() => ambassador({ maxConnections: 1e9 }))).toBe(
      '[Ambassador "ambassador"] maxConnections must be at most 250000 (got 1000000000): HAProxy reserves two file descriptors '
      + 'per connection when it starts, and does not start when the container\'s open-file limit (524288 with containerd 2) or '
      + 'its memory cannot hold them. Fix: use the most connections the app opens at once, e.g. 1024 (the default).');
  });

  test('fails when a health check count is beyond HAProxy\'s range', () => {
    expect(errorOf(() => ambassador({ healthCheck: { riseCount: 2_147_483_648 } }))).toBe(
      '[Ambassador "ambassador"] healthCheck.riseCount must be an integer between 1 and 2147483647 (got 2147483648). '
      + 'Fix: use a small count, e.g. 2 (the default).');
  });

  test.each(['10.0.0.256', '300.1.1.1', '10.0.0', '010.0.0.1'])('fails when the IPv4 upstream %p is not an address', (host) => {
    // GIVEN an endpoint object that did not come from Endpoint.of (which refuses these too)
    expect(errorOf(() => ambassador({ upstreams: [{ host, port: 6379, url: `${host}:6379` }] }))).toBe(
      `[Ambassador "ambassador"] upstream host "${host}" is not an IPv4 address: it must be four numbers from 0 to 255, without `
      + 'leading zeros (resolvers read a leading zero as octal). Fix: correct the address, e.g. "10.0.0.7".');
  });

  test('fails when the user is root', () => {
    expect(errorOf(() => ambassador({ user: 0 }))).toBe(
      '[Ambassador "ambassador"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use the numeric user the image runs HAProxy as, e.g. 99 for the official image.');
  });

  test('fails when the image is empty', () => {
    expect(errorOf(() => ambassador({ image: '' }))).toBe(
      '[Ambassador "ambassador"] image is required (got ""). Fix: pass a pinned HAProxy image like "haproxy:2.8.11-alpine", '
      + 'or leave image unset.');
  });

  test('fails when the image is not pinned, before it is attached', () => {
    expect(errorOf(() => ambassador({ image: 'haproxy:latest' }))).toBe(
      '[Ambassador "ambassador"] image "haproxy:latest" uses the "latest" tag, so every pull may fetch a different image. '
      + 'Fix: pin a version, e.g. "haproxy:1.2.3", or a digest.');
  });

  test('fails when the name is too long for its volume name', () => {
    const name = 'a'.repeat(57);
    expect(errorOf(() => ambassador({ name }))).toBe(
      `[Ambassador "${name}"] name must have at most 56 characters, as it names the volume "${name}-config" `
      + `(got "${name}", 57 characters). Fix: use a shorter name.`);
  });

  test('fails when the env var derived from the name is not a valid name', () => {
    expect(errorOf(() => ambassador({ name: '1redis' }))).toBe(
      '[Ambassador "1redis"] envVar must be a valid environment variable name: letters, digits, \'_\', \'-\' or \'.\', not '
      + 'starting with a digit (got "1REDIS_ADDR"). Fix: use a name like "REDIS_ADDR".');
  });
});
