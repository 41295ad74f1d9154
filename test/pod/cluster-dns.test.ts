import { Chart, Testing } from 'cdk8s';
import { resolveNamespace, serviceHost } from '../../src/pod/cluster-dns';
import { errorOf, newChart } from '../util';

describe('cluster DNS names', () => {
  test('a Service name is fully qualified when the namespace is known', () => {
    expect(serviceHost('web', 'shop')).toBe('web.shop.svc.cluster.local');
  });

  test('a Service name stays bare when the namespace is unknown', () => {
    expect(serviceHost('web')).toBe('web');
  });

  test('the namespace is the chart\'s by default', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    expect(resolveNamespace(chart)).toBe('shop');
  });

  test('the namespace is unknown for a namespace-less chart', () => {
    expect(resolveNamespace(newChart())).toBeUndefined();
  });

  test('an explicit namespace fills in for a namespace-less chart', () => {
    expect(resolveNamespace(newChart(), 'shop')).toBe('shop');
  });

  test('an explicit namespace that agrees with the chart is accepted', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    expect(resolveNamespace(chart, 'shop')).toBe('shop');
  });

  test('fails when the explicit namespace is not a DNS label', () => {
    expect(errorOf(() => resolveNamespace(newChart(), 'Shop')))
      .toBe('[test] namespace must be a DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with an alphanumeric, '
        + 'at most 63 characters (got "Shop", 4 characters). Fix: use a name like "log-collector".');
  });

  test('fails when the explicit namespace disagrees with the chart', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    expect(errorOf(() => resolveNamespace(chart, 'other')))
      .toBe('[test] namespace "other" differs from the namespace of the chart ("shop"), into which the objects are rendered, so '
        + 'the DNS names built from it would not resolve. Fix: drop the namespace prop (the chart\'s is used) or make them agree.');
  });
});
