import * as kplus from 'cdk8s-plus-27';
import { HEALTH, webWith } from './adapter-support';
import { container } from './init-support';
import { ExporterAdapter, ExporterAdapterProps, HttpAdapter, HttpAdapterProps, KubernetesVersion, SidecarMode } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

function httpAdapter(props: Partial<HttpAdapterProps> = {}): HttpAdapter {
  return new HttpAdapter({ port: 8081, routes: HEALTH, ...props });
}

function exporter(props: Partial<ExporterAdapterProps> = {}): ExporterAdapter {
  return new ExporterAdapter({ image: 'oliver006/redis_exporter:v1.62.0', port: 9121, ...props });
}

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

  test('mounts a volume the app writes, read-only, to export what the app leaves there', () => {
    // GIVEN
    const { chart } = webWith({}, exporter({
      mounts: [{ volume: 'stats', path: '/stats', readOnly: true }],
      mainMounts: [{ volume: 'stats', path: '/var/lib/app/stats' }],
    }));

    // WHEN
    const spec = podSpec(only(synth(chart), 'Deployment'));

    // THEN
    expect(container(spec, 'exporter').volumeMounts).toEqual([{ name: 'stats', mountPath: '/stats', readOnly: true }]);
    expect(container(spec, 'app').volumeMounts).toEqual([{ name: 'stats', mountPath: '/var/lib/app/stats' }]);
    expect(spec.volumes).toEqual([{ name: 'stats', emptyDir: {} }]);
  });

  test('fails when a mount names a volume the Pod does not have and sharedVolumes excludes it', () => {
    expect(errorOf(() => webWith({}, exporter({ mounts: [{ volume: 'stats', path: '/stats' }], sharedVolumes: [] })))).toBe(
      '[test/web/exporter] container "exporter" mounts volume "stats" at "/stats", but the Pod has no volume of that name '
      + '(known: none). Fix: create it first with sharedVolume("stats") or declare it as a volume claim template.');
  });

  test('fails when a mount path is relative', () => {
    expect(errorOf(() => exporter({ mounts: [{ volume: 'stats', path: 'stats' }] }))).toBe('[ExporterAdapter "exporter"] mounts '
      + 'path of volume "stats" must be an absolute path without \'..\' segments (got "stats"). Fix: use a path like "/var/log/app".');
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

  test('keeps its own copy of env and args', () => {
    // GIVEN
    const env = [{ name: 'REDIS_ADDR', value: kplus.EnvValue.fromValue('redis://127.0.0.1:6379') }];
    const args = ['--include-system-metrics'];
    const adapter = exporter({ env, args });

    // WHEN: the caller's arrays change after construction
    env.push({ name: 'BAD NAME', value: kplus.EnvValue.fromValue('x') });
    args.push('--debug');
    const sidecar = container(podSpec(only(synth(webWith({}, adapter).chart), 'Deployment')), 'exporter');

    // THEN
    expect(sidecar.env).toEqual([{ name: 'REDIS_ADDR', value: 'redis://127.0.0.1:6379' }]);
    expect(sidecar.args).toEqual(['--include-system-metrics']);
  });

  test('fails when the exporter port is a port of the app container', () => {
    expect(errorOf(() => webWith({}, exporter({ port: 8080 })))).toBe(
      '[test/web/exporter] port 8080 is already a port of the app container "app" ("http"); the containers of a Pod '
      + 'share one network namespace, so only one of them can listen on it. Fix: give the adapter its own port.');
  });

  test('fails when the image is missing', () => {
    expect(errorOf(() => exporter({ image: '' }))).toBe(
      '[ExporterAdapter "exporter"] image is required (got ""). Fix: pass a pinned exporter image, e.g. "oliver006/redis_exporter:v1.62.0".');
  });

  test('fails when the image is not pinned', () => {
    expect(errorOf(() => exporter({ image: 'oliver006/redis_exporter:latest' }))).toBe(
      '[ExporterAdapter "exporter"] image "oliver006/redis_exporter:latest" uses the "latest" tag, so every pull '
      + 'may fetch a different image. Fix: pin a version, e.g. "oliver006/redis_exporter:1.2.3", or a digest.');
  });

  test('fails when the metrics path is relative', () => {
    expect(errorOf(() => exporter({ path: 'metrics' }))).toBe(
      '[ExporterAdapter "exporter"] path must be an absolute URL path like "/metrics" (got "metrics"). '
      + 'Fix: use the path the exporter serves metrics on, e.g. "/metrics".');
  });

  test('fails when an env var is listed twice', () => {
    const v = kplus.EnvValue.fromValue('x');
    expect(errorOf(() => exporter({ env: [{ name: 'A', value: v }, { name: 'A', value: v }] }))).toBe(
      '[ExporterAdapter "exporter"] env var "A" is listed twice. Fix: set each variable once.');
  });

  test('fails when the user is root', () => {
    expect(errorOf(() => exporter({ user: 0 }))).toBe(
      '[ExporterAdapter "exporter"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod '
      + 'Security Standard forbids. Fix: use the numeric user the exporter image runs as, e.g. 59000.');
  });

  test('fails when two exporters ask for different scrape ports', () => {
    expect(errorOf(() => webWith({}, exporter(), exporter({ name: 'second', port: 9122, portName: 'metrics2' })))).toBe(
      '[test/web/second] pod annotation prometheus.io/port is already set to "9121" (got "9122"). Fix: set each annotation from one place.');
  });

  test('fails when an env var name is invalid, before it is attached', () => {
    expect(errorOf(() => exporter({ env: [{ name: 'BAD NAME', value: kplus.EnvValue.fromValue('x') }] }))).toBe(
      '[ExporterAdapter "exporter"] env var name must be a valid environment variable name: letters, digits, \'_\', \'-\' or '
      + '\'.\', not starting with a digit (got "BAD NAME"). Fix: use a name like "REDIS_ADDR".');
  });

  test('fails when the port name is not a port name', () => {
    expect(errorOf(() => exporter({ portName: 'redis-exporter-metrics' }))).toBe(
      '[ExporterAdapter "exporter"] portName must be an IANA service name: at most 15 lowercase letters, digits and single \'-\', '
      + 'with at least one letter (got "redis-exporter-metrics"). Fix: use a name like "http" or "metrics".');
  });
});
