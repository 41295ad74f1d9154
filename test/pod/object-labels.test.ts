import { Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Ambassador, AppConfig, Endpoint, ExternalService, HttpAdapter, NetworkPeer, NodeAgent, ScheduledTask, StatefulService, StatelessService,
} from '../../src';
import { toLabelValue } from '../../src/pod/object-labels';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const DB: kplus.ContainerProps = { image: 'postgres:16.4', securityContext: { user: 999, group: 999 }, ports: [{ number: 5432, name: 'pg' }] };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const ADDR = 'cdk8s.io/metadata.addr';

/** The labels of an object, without the one cdk8s-plus selects on. */
function appLabels(obj: any): Record<string, string> {
  const { [ADDR]: _, ...rest } = obj.metadata?.labels ?? {};
  return rest;
}

/** Every selector of a chart's objects, by kind and name. */
function selectors(manifests: any[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of manifests) {
    const key = `${m.kind}/${m.metadata.name}`;
    if (m.spec?.selector) out[key] = m.spec.selector;
    if (m.spec?.podSelector) out[`${key}#podSelector`] = m.spec.podSelector;
    const affinity = m.spec?.template?.spec?.affinity;
    if (affinity) out[`${key}#affinity`] = affinity;
  }
  return out;
}

describe('recommended labels', () => {
  test('defaults: every object of a workload and its patterns, and its Pods, get the six labels', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new Ambassador({ name: 'cache', listenPort: 6379, upstreams: [Endpoint.of('redis.example.com', 6379)] })],
      ingressPolicy: { allowFrom: [NetworkPeer.namespace('ingress-nginx')] },
      autoscaling: { maxReplicas: 4 },
    });
    // WHEN
    const manifests = synth(chart);
    // THEN
    const expected = {
      'app.kubernetes.io/component': 'stateless-service',
      'app.kubernetes.io/instance': 'test-web-c8ba1bf5',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/part-of': 'test',
      'app.kubernetes.io/version': '1.27.2',
    };
    expect(manifests.map(m => m.kind).sort())
      .toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service']);
    for (const m of manifests) expect({ kind: m.kind, labels: appLabels(m) }).toEqual({ kind: m.kind, labels: expected });
    const deployment = only(manifests, 'Deployment');
    // AND the Pods carry them beside the label the selector uses, whose value is the instance
    expect(deployment.spec.template.metadata.labels).toEqual({ ...expected, [ADDR]: 'test-web-c8ba1bf5' });
  });

  test('adding them changes no selector', () => {
    // GIVEN two charts with the same workloads, one with every label given
    const build = (labelled: boolean) => {
      const chart = newChart();
      const appLabelsOf = (name: string) => (labelled
        ? { appLabels: { name, instance: `${name}-eu`, version: '9', component: 'backend', partOf: 'shop', managedBy: 'argocd' } }
        : {});
      const web = new StatelessService(chart, 'web', {
        container: APP, ...appLabelsOf('web'), ingressPolicy: { allowFrom: [NetworkPeer.namespace('ingress-nginx')] },
      });
      web.addPattern(new HttpAdapter({ port: 9000, routes: [{ path: '/health', upstreamPath: '/metrics' }], expose: true }));
      new StatefulService(chart, 'db', {
        container: DB,
        replicas: 3,
        ...appLabelsOf('db'),
        volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/postgresql/data' }],
      });
      return synth(chart);
    };
    // WHEN
    const plain = build(false);
    const labelled = build(true);
    // THEN every selector, the Pod affinity and the claim templates are the same, and still the cdk8s-plus label only
    expect(selectors(labelled)).toEqual(selectors(plain));
    expect(only(labelled, 'StatefulSet').spec.volumeClaimTemplates).toEqual(only(plain, 'StatefulSet').spec.volumeClaimTemplates);
    expect(only(labelled, 'StatefulSet').spec.volumeClaimTemplates[0].metadata).toEqual({ name: 'data' });
    expect(only(labelled, 'Deployment').spec.selector).toEqual({ matchLabels: { [ADDR]: 'test-web-c8ba1bf5' } });
    expect(only(labelled, 'Service', 'web').spec.selector).toEqual({ [ADDR]: 'test-web-c8ba1bf5' });
    expect(only(labelled, 'NetworkPolicy').spec.podSelector).toEqual({ matchLabels: { [ADDR]: 'test-web-c8ba1bf5' } });
    expect(only(labelled, 'PodDisruptionBudget', 'db').spec.selector).toEqual({ matchLabels: { [ADDR]: 'test-db-c8b96b87' } });
    // AND the given values are on the objects
    expect(appLabels(only(labelled, 'Service', 'db-headless'))['app.kubernetes.io/managed-by']).toBe('argocd');
    expect(appLabels(only(labelled, 'ConfigMap'))['app.kubernetes.io/instance']).toBe('web-eu');
  });

  test('the version is the main image tag when it is a label value, and absent for a digest-only image', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'tagged', { container: { ...APP, image: `nginx:1.27.2-alpine@${DIGEST}` } });
    new StatelessService(chart, 'digest', { container: { ...APP, image: `nginx@${DIGEST}` } });
    new StatelessService(chart, 'long', { container: { ...APP, image: `nginx:${'1'.repeat(64)}` } });
    new StatelessService(chart, 'underscore', { container: { ...APP, image: 'nginx:_1.2' } });
    // WHEN
    const version = (name: string) => only(synth(chart), 'Deployment', name).metadata.labels['app.kubernetes.io/version'];
    // THEN
    expect(version('tagged')).toBe('1.27.2-alpine');
    expect(version('digest')).toBeUndefined();
    expect(version('long')).toBeUndefined();
    expect(version('underscore')).toBeUndefined();
  });

  test('the defaults follow the kind of workload, the name prop and the chart', () => {
    // GIVEN
    const chart = newChart();
    new NodeAgent(chart, 'agent', { container: { image: 'fluent/fluent-bit:3.2.10', securityContext: { user: 10001 } } });
    new ScheduledTask(chart, 'Nightly Report', {
      name: 'nightly-report', schedule: Cron.daily(), container: { image: 'busybox:1.36.1', securityContext: { user: 10001 } },
    });
    // WHEN
    const manifests = synth(chart);
    // THEN
    expect(appLabels(only(manifests, 'DaemonSet'))).toMatchObject(
      { 'app.kubernetes.io/component': 'node-agent', 'app.kubernetes.io/name': 'agent', 'app.kubernetes.io/version': '3.2.10' });
    const cron = only(manifests, 'CronJob');
    expect(appLabels(cron)).toMatchObject({ 'app.kubernetes.io/component': 'scheduled-task', 'app.kubernetes.io/name': 'nightly-report' });
    expect(appLabels(cron.spec.jobTemplate.spec.template)).toEqual(appLabels(cron));
  });

  test('objects added after construction get them too; a label set by hand keeps its value', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    web.service!.metadata.addLabel('app.kubernetes.io/component', 'frontend');
    // WHEN
    web.addPattern(new Ambassador({ name: 'cache', listenPort: 6379, upstreams: [Endpoint.of('redis.example.com', 6379)] }));
    web.connect(Endpoint.of('db.example.com', 5432), { envPrefix: 'DB', waitFor: true });
    const manifests = synth(chart);
    // THEN
    expect(appLabels(only(manifests, 'ConfigMap'))['app.kubernetes.io/name']).toBe('web');
    expect(appLabels(only(manifests, 'Service'))['app.kubernetes.io/component']).toBe('frontend');
    expect(podSpec(only(manifests, 'Deployment')).initContainers.map((c: any) => c.name)).toEqual(['wait-db']);
  });

  test('external services and configs label their own objects', () => {
    // GIVEN
    const chart = newChart();
    // WHEN a config and an external service outside any workload
    AppConfig.fromEnv(chart, 'settings', { variables: [{ name: 'LOG_LEVEL', value: 'info' }] });
    ExternalService.fromHostname(chart, 'orders-db', { hostname: 'orders.example.com', ports: [{ name: 'pg', port: 5432 }] });
    const manifests = synth(chart);
    // THEN
    expect(appLabels(only(manifests, 'ConfigMap'))).toEqual({
      'app.kubernetes.io/component': 'config',
      'app.kubernetes.io/instance': 'test-settings-c8b2d7ce',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'settings',
      'app.kubernetes.io/part-of': 'test',
    });
    expect(appLabels(only(manifests, 'Service'))).toMatchObject({ 'app.kubernetes.io/component': 'external-service', 'app.kubernetes.io/name': 'orders-db' });
  });

  test.each([
    ['name', 'my app', 'appLabels.name must be a label value: letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or '
      + 'digit, at most 63 characters (got "my app", 6 characters). Fix: use a value like "orders".'],
    ['partOf', '-shop', 'appLabels.partOf must be a label value: letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or '
      + 'digit, at most 63 characters (got "-shop", 5 characters). Fix: use a value like "shop".'],
    ['version', '', 'appLabels.version must be a label value: letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or '
      + 'digit, at most 63 characters (got "", 0 characters). Fix: use a value like "1.2.3".'],
  ])('fails when appLabels.%s is %j', (key, value, message) => {
    // GIVEN
    const chart = newChart();
    // WHEN / THEN
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, appLabels: { [key]: value } })))
      .toBe(`[test/web] ${message}`);
  });

  test('fails when a given value is longer than 63 characters', () => {
    const chart = newChart();
    const long = 'a'.repeat(64);
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, appLabels: { managedBy: long } })))
      .toBe('[test/web] appLabels.managedBy must be a label value: letters, digits, \'-\', \'_\' and \'.\', starting and ending with a '
        + `letter or digit, at most 63 characters (got "${long}", 64 characters). Fix: use a value like "cdk8s".`);
  });
});

describe('toLabelValue', () => {
  test.each([
    ['web', 'web'], ['Nightly Report', 'Nightly-Report'], ['--x--', 'x'], ['a/b:c', 'a-b-c'], [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
  ])('makes %j into %j', (text, value) => expect(toLabelValue(text)).toBe(value));
  test('gives undefined when nothing is left', () => expect(toLabelValue('---')).toBeUndefined());
});
