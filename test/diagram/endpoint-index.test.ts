import { Chart, Size } from 'cdk8s';
import { Endpoint, ExternalService, StatefulService, StatelessService } from '../../src';
import { EndpointIndex, EndpointKind } from '../../src/diagram/endpoint-index';
import { app } from '../util';

describe('EndpointIndex', () => {
  // GIVEN an app with a stateless and a stateful service, an external service and a workload without ports
  const a = app();
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  const web = new StatelessService(chart, 'web', { container: { image: 'example/web:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] } });
  const worker = new StatelessService(chart, 'worker', { container: { image: 'example/worker:1.0.0', securityContext: { user: 10001 } } });
  const db = new StatefulService(chart, 'db', {
    replicas: 2,
    container: { image: 'example/db:1.0.0', securityContext: { user: 10001 }, ports: [{ number: 5432, name: 'pg' }] },
    volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    clientService: {},
  });
  const cache = ExternalService.fromIps(chart, 'cache', { serviceName: 'cache', ips: ['10.0.0.1'], ports: [{ name: 'redis', port: 6379 }] });
  const index = new EndpointIndex(a);

  test('recognizes a workload and an external service by identity', () => {
    expect(index.classify(web)).toEqual({ kind: EndpointKind.WORKLOAD, endpoint: web, workload: web });
    expect(index.classify(db)).toEqual({ kind: EndpointKind.WORKLOAD, endpoint: db, workload: db });
    expect(index.classify(cache)).toEqual({ kind: EndpointKind.EXTERNAL_SERVICE, endpoint: cache, external: cache });
  });

  test('recognizes a plain endpoint by the DNS name of a Service of the app', () => {
    // WHEN the endpoints are plain host:port pairs with the names of the app's Services
    const byName = Endpoint.of(web.host, 80);
    const headless = Endpoint.of(`${db.headlessService.name}.shop.svc.cluster.local`, 5432);
    const external = Endpoint.of(cache.host, 6379);
    // THEN they are the workload, the stateful service and the external service
    expect(index.classify(byName)).toEqual({ kind: EndpointKind.WORKLOAD, endpoint: byName, workload: web });
    expect(index.classify(headless)).toEqual({ kind: EndpointKind.WORKLOAD, endpoint: headless, workload: db });
    expect(index.classify(external)).toEqual({ kind: EndpointKind.EXTERNAL_SERVICE, endpoint: external, external: cache });
  });

  test('recognizes a member of a stateful service with its ordinal', () => {
    const member = db.member(1);
    expect(index.classify(member)).toEqual({ kind: EndpointKind.MEMBER, endpoint: member, workload: db, ordinal: 1 });
  });

  test('anything else is a plain endpoint', () => {
    const elsewhere = Endpoint.of('redis-0.redis.data.svc.cluster.local', 6379);
    expect(index.classify(elsewhere)).toEqual({ kind: EndpointKind.PLAIN, endpoint: elsewhere });
  });

  test('a workload without ports has no Service, and so no name to recognize', () => {
    expect(worker.service).toBeUndefined();
    const sameName = Endpoint.of('worker', 80);
    expect(index.classify(sameName).kind).toBe(EndpointKind.PLAIN);
  });
});
