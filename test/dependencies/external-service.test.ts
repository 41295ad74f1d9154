import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Endpoint, ExternalService, IEndpoint, StatelessService } from '../../src';
import { validateSchemas } from '../harness/schema';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const PG = { name: 'postgres', port: 5432, scheme: 'postgres' };
const APP: kplus.ContainerProps = { image: 'ghcr.io/example/orders:1.4.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };

function chartIn(namespace: string): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function mainEnv(manifests: any[], namePart?: string): Record<string, string> {
  const deployment = only(manifests, 'Deployment', namePart);
  const env: Record<string, string> = {};
  for (const e of podSpec(deployment).containers[0].env ?? []) env[e.name] = e.value;
  return env;
}

describe('ExternalService', () => {
  test('defaults: an ExternalName Service for a host name, a headless Service with Endpoints for addresses', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    ExternalService.fromHostname(chart, 'db', { hostname: 'orders.abc123.eu-west-1.rds.amazonaws.com', ports: [PG] });
    ExternalService.fromIps(chart, 'cache', { ips: ['10.20.0.11', '10.20.0.12'], ports: [{ name: 'redis', port: 6379 }] });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('fromHostname', () => {
    test('renders an ExternalName Service with its named ports and no Endpoints', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG], serviceName: 'orders-db' });
      // THEN
      const manifests = synth(chart);
      expect(manifests.map(m => m.kind)).toEqual(['Service']);
      expect(only(manifests, 'Service').metadata.name).toBe('orders-db');
      expect(only(manifests, 'Service').spec).toEqual({
        type: 'ExternalName',
        externalName: 'db.example.com',
        ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
      });
    });

    test('is an endpoint: the Service DNS name, the first port, its scheme', () => {
      // GIVEN
      const chart = chartIn('shop');
      // WHEN
      const db = ExternalService.fromHostname(chart, 'db', {
        hostname: 'db.example.com',
        serviceName: 'orders-db',
        ports: [PG, { name: 'metrics', port: 9187, scheme: 'http' }],
      });
      // THEN
      const endpoint: IEndpoint = db;
      expect([endpoint.host, endpoint.port, endpoint.scheme, endpoint.url]).toEqual([
        'orders-db.shop.svc.cluster.local', 5432, 'postgres', 'postgres://orders-db.shop.svc.cluster.local:5432',
      ]);
      expect(db.portEndpoint('metrics').url).toBe('http://orders-db.shop.svc.cluster.local:9187');
      expect(db.externalName).toBe('db.example.com');
      expect(db.endpoints).toBeUndefined();
    });
  });

  describe('fromIps', () => {
    test('renders a headless Service without a selector and an Endpoints object of the same name', () => {
      // GIVEN
      const chart = chartIn('shop');
      // WHEN
      const cache = ExternalService.fromIps(chart, 'cache', {
        ips: ['10.20.0.11', 'fd00::b'],
        serviceName: 'sessions',
        ports: [{ name: 'redis', port: 6379, scheme: 'redis' }, { name: 'sentinel', port: 26379 }],
      });
      // THEN
      const manifests = synth(chart);
      const service = only(manifests, 'Service');
      const endpoints = only(manifests, 'Endpoints');
      expect(service.metadata).toEqual({
        name: 'sessions',
        namespace: 'shop',
        labels: {
          'app.kubernetes.io/component': 'external-service',
          'app.kubernetes.io/instance': 'test-cache-c86f4e52',
          'app.kubernetes.io/managed-by': 'cdk8s',
          'app.kubernetes.io/name': 'sessions',
          'app.kubernetes.io/part-of': 'test',
        },
      });
      expect(service.spec).toEqual({
        clusterIP: 'None',
        type: 'ClusterIP',
        ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }, { name: 'sentinel', port: 26379, protocol: 'TCP' }],
      });
      expect(service.spec.selector).toBeUndefined();
      expect(endpoints.metadata).toEqual(service.metadata);
      expect(endpoints.subsets).toEqual([{
        addresses: [{ ip: '10.20.0.11' }, { ip: 'fd00::b' }],
        ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }, { name: 'sentinel', port: 26379, protocol: 'TCP' }],
      }]);
      expect(cache.url).toBe('redis://sessions.shop.svc.cluster.local:6379');
      expect(cache.ips).toEqual(['10.20.0.11', 'fd00::b']);
    });

    test('a fixed serviceName gives the same Service name in every environment', () => {
      // GIVEN two environments with different addresses
      const staging = chartIn('staging');
      const prod = chartIn('prod');
      // WHEN
      const a = ExternalService.fromIps(staging, 'cache', { ips: ['10.1.0.5'], ports: [{ name: 'redis', port: 6379 }], serviceName: 'cache' });
      const b = ExternalService.fromIps(prod, 'cache', { ips: ['10.9.0.5', '10.9.0.6'], ports: [{ name: 'redis', port: 6379 }], serviceName: 'cache' });
      // THEN the name is the same; only the addresses behind it differ
      expect(only(synth(staging), 'Service').metadata.name).toBe('cache');
      expect(only(synth(prod), 'Service').metadata.name).toBe('cache');
      expect([a.serviceName, b.serviceName]).toEqual(['cache', 'cache']);
    });

    test('without a namespace, host is the bare Service name', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const cache = ExternalService.fromIps(chart, 'cache', { ips: ['10.1.0.5'], ports: [{ name: 'redis', port: 6379 }], serviceName: 'cache' });
      // THEN
      expect(cache.host).toBe('cache');
      expect(cache.url).toBe('cache:6379');
    });

    test('the default Service name comes from the construct path', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const cache = ExternalService.fromIps(chart, 'cache', { ips: ['10.1.0.5'], ports: [{ name: 'redis', port: 6379 }] });
      // THEN
      expect(cache.serviceName).toMatch(/^test-cache-[0-9a-f]{8}$/);
      expect(only(synth(chart), 'Endpoints').metadata.name).toBe(cache.serviceName);
    });
  });

  test('the output validates against the Kubernetes OpenAPI schemas', () => {
    // GIVEN
    const chart = chartIn('shop');
    ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG] });
    ExternalService.fromIps(chart, 'cache', { ips: ['10.20.0.11', 'fd00::b'], ports: [{ name: 'redis', port: 6379 }] });
    // WHEN
    const result = validateSchemas(synth(chart));
    // THEN
    expect(result.errors).toEqual([]);
    expect(result.unchecked).toEqual([]);
  });

  test('connect() injects the endpoint into an app', () => {
    // GIVEN
    const chart = chartIn('shop');
    const db = ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG], serviceName: 'orders-db' });
    const app = new StatelessService(chart, 'orders', { container: APP });
    // WHEN
    app.connect(db, { envPrefix: 'DB' });
    // THEN
    expect(mainEnv(synth(chart))).toEqual({
      DB_HOST: 'orders-db.shop.svc.cluster.local',
      DB_PORT: '5432',
      DB_URL: 'postgres://orders-db.shop.svc.cluster.local:5432',
    });
  });

  describe('reference, not recipe', () => {
    /** Builds the same app; only the dependency it is handed differs. */
    function buildApp(chart: Chart, db: IEndpoint): void {
      const app = new StatelessService(chart, 'orders', { container: APP, replicas: 3 });
      app.connect(db, { envPrefix: 'DB' });
    }

    test('the app is the same whether its database is built in the app or is an external PaaS', () => {
      // GIVEN one environment where the database runs in the cluster, built by the same app...
      const inApp = chartIn('shop');
      const builtDb = new StatelessService(inApp, 'db', {
        container: { image: 'postgres:16.4', securityContext: { user: 10001 }, ports: [{ number: 5432, name: 'postgres' }] },
        scheme: 'postgres',
        replicas: 1,
      });
      // ...and one where it is a managed service outside the cluster, with the same port and scheme
      const external = chartIn('shop');
      const paasDb = ExternalService.fromHostname(external, 'db', { hostname: 'orders.abc123.rds.amazonaws.com', ports: [PG] });

      // WHEN the same app is connected to each
      buildApp(inApp, builtDb);
      buildApp(external, paasDb);

      // THEN the app's Deployments differ only in the values of the endpoint env vars
      const a = only(synth(inApp), 'Deployment', 'orders');
      const b = only(synth(external), 'Deployment', 'orders');
      const envA = mainEnv([a]);
      const envB = mainEnv([b]);
      expect(Object.keys(envA)).toEqual(['DB_HOST', 'DB_PORT', 'DB_URL']);
      expect(Object.keys(envB)).toEqual(Object.keys(envA));
      expect(envA.DB_HOST).toBe(`${builtDb.service!.name}.shop.svc.cluster.local`);
      expect(envB.DB_HOST).toBe(`${paasDb.serviceName}.shop.svc.cluster.local`);
      expect(envA.DB_HOST).not.toBe(envB.DB_HOST);
      expect(envA.DB_PORT).toBe(envB.DB_PORT);

      const withoutEnvValues = (d: any) => {
        const copy = JSON.parse(JSON.stringify(d));
        for (const e of podSpec(copy).containers[0].env) e.value = '<endpoint>';
        return copy;
      };
      expect(withoutEnvValues(a)).toEqual(withoutEnvValues(b));
    });

    test('with the same Service name, the app manifests are identical', () => {
      // GIVEN an in-app database and an external one behind the same Service name
      const inApp = chartIn('shop');
      const external = chartIn('shop');
      ExternalService.fromHostname(external, 'db', { hostname: 'orders.abc123.rds.amazonaws.com', ports: [PG], serviceName: 'orders-db' });
      // WHEN the app is handed the same reference in both
      buildApp(inApp, Endpoint.of('orders-db.shop.svc.cluster.local', 5432, { scheme: 'postgres' }));
      buildApp(external, Endpoint.of('orders-db.shop.svc.cluster.local', 5432, { scheme: 'postgres' }));
      // THEN the app's Deployment is byte for byte the same
      expect(only(synth(external), 'Deployment')).toEqual(only(synth(inApp), 'Deployment'));
    });
  });

  describe('fails when', () => {
    test('fails when fromHostname is given no hostname', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { ports: [PG] } as any))).toBe(
        '[test/db] hostname must be a DNS name: dot-separated labels of lowercase letters, digits and \'-\', each at most 63 characters, '
        + 'at most 253 characters in all (got undefined). Fix: use a name like "orders.db.example.com".');
    });

    test('fails when fromIps is given no addresses', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'db', { ports: [PG] } as any))).toBe(
        '[test/db] ips must list at least one address (got []). Fix: list the service\'s addresses, e.g. ips: ["10.0.12.7"].');
    });

    test('fails when an IPv4 address is invalid', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', { ips: ['10.0.0.1', '10.0.0.300'], ports: [PG] }))).toBe(
        '[test/cache] ips[1] must be an IPv4 or IPv6 address (got "10.0.0.300"). '
        + 'Fix: use an address like "10.0.12.7" or "fd00::7"; for a DNS name use hostname instead.');
    });

    test('fails when an IPv6 address is invalid', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', { ips: ['fd00::1::2'], ports: [PG] }))).toBe(
        '[test/cache] ips[0] must be an IPv4 or IPv6 address (got "fd00::1::2"). '
        + 'Fix: use an address like "10.0.12.7" or "fd00::7"; for a DNS name use hostname instead.');
    });

    test.each([
      ['127.0.0.1', 'loopback'],
      ['::1', 'loopback'],
      ['169.254.10.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['224.0.0.5', 'link-local multicast'],
      ['0.0.0.0', 'unspecified'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['ff02::1', 'link-local multicast'],
      ['ff01::1', 'interface-local multicast'],
    ])('fails when an address is one Kubernetes refuses in Endpoints (%s)', (ip, kind) => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', { ips: [ip], ports: [PG] }))).toBe(
        `[test/cache] ips[0] "${ip}" is a ${kind} address, which Kubernetes rejects in Endpoints (it cannot reach a service `
        + 'outside the Pod). Fix: use the address the service is reachable on from the cluster network.');
    });

    test('fails when ips is empty', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', { ips: [], ports: [PG] }))).toBe(
        '[test/cache] ips must list at least one address (got []). Fix: list the service\'s addresses, e.g. ips: ["10.0.12.7"].');
    });

    test('fails when an address is listed twice', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', { ips: ['fd00::a', 'FD00::A'], ports: [PG] }))).toBe(
        '[test/cache] ips lists "FD00::A" more than once. Fix: list each address once.');
    });

    test('fails when a port is out of range', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [{ name: 'pg', port: 70000 }] })))
        .toBe('[test/db] ports[0].port must be an integer between 1 and 65535 (got 70000). Fix: use the port the program listens on, e.g. 8080.');
    });

    test('fails when two ports have the same name', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', {
        ips: ['10.0.0.1'], ports: [{ name: 'redis', port: 6379 }, { name: 'redis', port: 6380 }],
      }))).toBe('[test/cache] ports has two ports named "redis" (6379 and 6380); port names must be unique within a Service. '
        + 'Fix: give each port its own name.');
    });

    test('fails when two ports have the same number and protocol', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromIps(chart, 'cache', {
        ips: ['10.0.0.1'], ports: [{ name: 'redis', port: 6379 }, { name: 'redis-tls', port: 6379 }],
      }))).toBe('[test/cache] ports "redis" and "redis-tls" both use 6379/TCP; a Service port number may appear once per protocol. '
        + 'Fix: drop the duplicate.');
    });

    test('fails when no port is given', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [] }))).toBe(
        '[test/db] ports must list at least one port (got []); the port is what connect() hands to the app. '
        + 'Fix: e.g. ports: [{ name: "postgres", port: 5432 }].');
    });

    test('fails when a port name is not an IANA service name', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [{ name: 'Postgres', port: 5432 }] })))
        .toBe('[test/db] ports[0].name must be an IANA service name: at most 15 lowercase letters, digits and single \'-\', '
          + 'with at least one letter (got "Postgres"). Fix: use a name like "http" or "metrics".');
    });

    test('fails when a scheme is not a URL scheme', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [{ name: 'pg', port: 5432, scheme: 'post gres' }] })))
        .toBe('[test/db] ports[0].scheme must be a URL scheme: a lowercase letter, then letters, digits, \'+\', \'-\' or \'.\' (got "post gres"). '
          + 'Fix: use a scheme like "http", "https" or "postgres".');
    });

    test('fails when the host name is not a DNS name', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: 'DB_HOST.example.com', ports: [PG] }))).toBe(
        '[test/db] hostname must be a DNS name: dot-separated labels of lowercase letters, digits and \'-\', each at most 63 '
        + 'characters, at most 253 characters in all (got "DB_HOST.example.com"). Fix: use a name like "orders.db.example.com".');
    });

    test('fails when the host name is an IP address', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: '10.0.0.7', ports: [PG] }))).toBe(
        '[test/db] hostname "10.0.0.7" is an IP address, but an ExternalName Service only works with a DNS name '
        + '(cluster DNS answers with a CNAME). Fix: use ips: ["10.0.0.7"] instead.');
    });

    test('fails when serviceName is not a DNS-1035 label', () => {
      const chart = newChart();
      expect(errorOf(() => ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG], serviceName: '1db' }))).toBe(
        '[test/db] serviceName must be a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter and ending '
        + 'with a letter or digit, at most 63 characters (got "1db"). Fix: use a name like "orders-db".');
    });

    test('fails when portEndpoint names an unknown port', () => {
      const chart = newChart();
      const db = ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG] });
      expect(errorOf(() => db.portEndpoint('metrics'))).toBe(
        '[test/db] portEndpoint: this ExternalService has no port named "metrics" (known: "postgres"). Fix: use one of the known port names.');
    });

    test('fails when the env prefix of connect is not a valid env name', () => {
      const chart = newChart();
      const db = ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG] });
      const app = new StatelessService(chart, 'orders', { container: APP });
      expect(errorOf(() => app.connect(db, { envPrefix: 'orders-db' }))).toBe(
        '[test/orders] connect: envPrefix must be an upper-case env var name like "DB" (got "orders-db"). '
        + 'Fix: use letters, digits and "_", not starting with a digit.');
    });

    test('fails when the same endpoint is connected twice under the same prefix', () => {
      const chart = chartIn('shop');
      const db = ExternalService.fromHostname(chart, 'db', { hostname: 'db.example.com', ports: [PG], serviceName: 'orders-db' });
      const app = new StatelessService(chart, 'orders', { container: APP });
      app.connect(db, { envPrefix: 'DB' });
      expect(errorOf(() => app.connect(db, { envPrefix: 'DB' }))).toBe(
        '[test/orders] connect: envPrefix "DB" is already used by a connection to postgres://orders-db.shop.svc.cluster.local:5432; '
        + 'connecting postgres://orders-db.shop.svc.cluster.local:5432 under the same prefix would overwrite DB_HOST. '
        + 'Fix: use a distinct envPrefix per endpoint.');
    });
  });
});
