import { App, Chart, Size } from 'cdk8s';
import { ExporterAdapter, HttpAdapter, NetworkPeer, StatefulService, StatelessService } from '../../src';
import { errorOf, newChart, only, synth } from '../util';

const APP = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };

describe('ingressPolicy', () => {
  test('defaults: no NetworkPolicy unless asked for', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP });
    expect(synth(chart).filter(m => m.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('allows only the given peers, only on the exposed ports', () => {
    // GIVEN a frontend and an api that only the frontend, the ingress namespace and one subnet may reach
    const chart = newChart();
    const frontend = new StatelessService(chart, 'frontend', { container: APP });
    const api = new StatelessService(chart, 'api', {
      container: APP,
      ingressPolicy: {
        allowFrom: [NetworkPeer.workload(frontend), NetworkPeer.namespace('ingress-nginx'), NetworkPeer.ipBlock('10.0.0.0/16')],
      },
    });
    // WHEN an exposed adapter port and an internal exporter port are added later
    api.addPattern(new HttpAdapter({ port: 9000, routes: [{ path: '/health', upstreamPath: '/metrics' }], expose: true }));
    api.addPattern(new ExporterAdapter({ image: 'nginx/nginx-prometheus-exporter:1.3.0', port: 9113 }));
    // THEN the policy selects the api's Pods and admits the peers on 8080 and 9000 only
    const policy = only(synth(chart), 'NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'test-api-c855049c' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [
          { podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'test-frontend-c8b92aa4' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
          { ipBlock: { cidr: '10.0.0.0/16' } },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }, { port: 9000, protocol: 'TCP' }],
      }],
    });
    expect(api.ingressPolicy).toBeDefined();
  });

  test('a peer in another namespace is selected in its namespace', () => {
    const app = new App();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const data = new Chart(app, 'data', { namespace: 'data' });
    const cart = new StatelessService(shop, 'cart', { container: APP });
    new StatefulService(data, 'db', {
      container: { image: 'postgres:16.4', securityContext: { user: 10001 }, ports: [{ number: 5432, name: 'postgres' }] },
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/postgresql/data' }],
      ingressPolicy: { allowFrom: [NetworkPeer.workload(cart)] },
    });
    const policy = only(synth(data), 'NetworkPolicy');
    expect(policy.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'shop-cart-c839a17e' } },
    }]);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test('an empty allow list denies all ingress', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, ingressPolicy: { allowFrom: [] } });
    const policy = only(synth(chart), 'NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([]);
  });

  test('fails when given a peer that is not a NetworkPeer', () => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, ingressPolicy: { allowFrom: ['10.0.0.0/8' as any] } })))
      .toBe('[test/web] ingressPolicy.allowFrom must be a list of NetworkPeer (got ["10.0.0.0/8"]). Fix: use NetworkPeer.workload(...), '
        + 'NetworkPeer.namespace(...) or NetworkPeer.ipBlock(...); [] denies all ingress.');
  });

  test.each([
    [() => NetworkPeer.ipBlock('10.0.0.0'), '[NetworkPeer.ipBlock] "10.0.0.0" is not a CIDR block. Fix: pass e.g. "10.0.0.0/16".'],
    [() => NetworkPeer.ipBlock('300.0.0.0/8'), '[NetworkPeer.ipBlock] "300.0.0.0/8" is not a CIDR block. Fix: pass e.g. "10.0.0.0/16".'],
    [() => NetworkPeer.namespace('Ingress_NGINX'), '[NetworkPeer.namespace] "Ingress_NGINX" is not a namespace name (a DNS-1123 label). Fix: pass e.g. "ingress-nginx".'],
  ])('fails when a peer is invalid (%#)', (build, message) => {
    expect(errorOf(build)).toBe(message);
  });

  test('accepts IPv6 blocks', () => {
    expect(() => NetworkPeer.ipBlock('fd00::/8')).not.toThrow();
  });
});
