import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KubernetesVersion, Sidecar, SidecarMode, StatefulService, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };

/** A git poller that keeps /repo up to date for the web server, which serves it read-only. */
const GIT_SYNC = {
  name: 'git-sync',
  image: 'alpine/git:2.45.2',
  command: ['sh', '-c'],
  args: ['while true; do git -C /repo pull --ff-only || true; sleep 60; done'],
  env: [{ name: 'GIT_TERMINAL_PROMPT', value: kplus.EnvValue.fromValue('0') }],
  mounts: [{ volume: 'repo', path: '/repo' }],
  mainMounts: [{ volume: 'repo', path: '/usr/share/nginx/html', readOnly: true }],
};

function container(spec: any, name: string): any {
  const found = [...(spec.initContainers ?? []), ...spec.containers].filter((c: any) => c.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('Sidecar', () => {
  test('its probes are rendered on the native sidecar, the default from Kubernetes 1.33', () => {
    // GIVEN
    const chart = newChart();
    // WHEN no sidecarMode is given
    new StatelessService(chart, 'web', {
      container: APP,
      kubernetesVersion: KubernetesVersion.V1_33,
      patterns: [new Sidecar({
        ...GIT_SYNC,
        ports: [{ name: 'sync-health', port: 9090 }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 9090 }),
        liveness: kplus.Probe.fromTcpSocket({ port: 9090 }),
        startup: kplus.Probe.fromCommand(['test', '-d', '/repo/.git']),
      })],
    });
    // THEN
    const git = container(podSpec(only(synth(chart), 'Deployment')), 'git-sync');
    expect(git.restartPolicy).toBe('Always');
    expect(git.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 9090 } });
    expect(git.livenessProbe).toMatchObject({ tcpSocket: { port: 9090 } });
    expect(git.startupProbe).toMatchObject({ exec: { command: ['test', '-d', '/repo/.git'] } });
  });

  test('renders a hardened container next to the app, sharing a volume with it', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', { container: APP, patterns: [new Sidecar(GIT_SYNC)] });
    // THEN
    const spec = podSpec(only(synth(chart), 'Deployment'));
    const git = container(spec, 'git-sync');
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'git-sync']);
    expect(git.image).toBe('alpine/git:2.45.2');
    expect(git.command).toEqual(['sh', '-c']);
    expect(git.args).toEqual(['while true; do git -C /repo pull --ff-only || true; sleep 60; done']);
    expect(git.env).toEqual([{ name: 'GIT_TERMINAL_PROMPT', value: '0' }]);
    expect(git.volumeMounts).toEqual([{ name: 'repo', mountPath: '/repo' }]);
    expect(git.securityContext).toMatchObject({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    });
    expect(git.resources).toEqual({
      limits: { cpu: '200m', memory: '128Mi' },
      requests: { cpu: '50m', memory: '64Mi' },
    });
    expect(container(spec, 'app').volumeMounts).toEqual([{ name: 'repo', mountPath: '/usr/share/nginx/html', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'repo', emptyDir: {} }]);
  });

  test('its ports are container ports, and on the Service only when exposed', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new Sidecar({
        name: 'status',
        image: 'busybox:1.36.1',
        ports: [{ name: 'status', port: 9090, expose: true }, { name: 'debug', port: 9091 }],
        user: 1000,
        resources: { cpu: { request: kplus.Cpu.millis(5), limit: kplus.Cpu.millis(20) } },
      })],
    });
    // THEN
    const manifests = synth(chart);
    const status = container(podSpec(only(manifests, 'Deployment')), 'status');
    expect(status.ports).toEqual([
      { containerPort: 9090, name: 'status' },
      { containerPort: 9091, name: 'debug' },
    ]);
    expect(status.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(status.resources).toEqual({ limits: { cpu: '20m' }, requests: { cpu: '5m' } });
    expect(only(manifests, 'Service').spec.ports.map((p: any) => p.port)).toEqual([8080, 9090]);
  });

  test('in NATIVE mode it is an init container that restarts always', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP, sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29, patterns: [new Sidecar(GIT_SYNC)],
    });
    // THEN
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['git-sync', 'Always']]);
  });

  test('it can mount a volume claim template of a stateful service without creating a volume', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatefulService(chart, 'db', {
      container: { image: 'postgres:16.4', ports: [{ number: 5432, name: 'pg' }], securityContext: { user: 999, group: 999 } },
      volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/postgresql/data' }],
      patterns: [new Sidecar({ name: 'du', image: 'busybox:1.36.1', mounts: [{ volume: 'data', path: '/data', readOnly: true }], sharedVolumes: [] })],
    });
    // THEN
    const spec = podSpec(only(synth(chart), 'StatefulSet'));
    expect(container(spec, 'du').volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
    expect(spec.volumes ?? []).toEqual([]);
  });

  test('later changes to the props do not reach the sidecar', () => {
    // GIVEN
    const chart = newChart();
    const args = ['sleep', '60'];
    const mounts = [{ volume: 'repo', path: '/repo' }];
    const sidecar = new Sidecar({ name: 'sleeper', image: 'busybox:1.36.1', args, mounts });
    // WHEN
    args.push('--bad');
    mounts.push({ volume: 'Bad_Name', path: 'relative' });
    new StatelessService(chart, 'web', { container: APP, patterns: [sidecar] });
    // THEN
    const s = container(podSpec(only(synth(chart), 'Deployment')), 'sleeper');
    expect(s.args).toEqual(['sleep', '60']);
    expect(s.volumeMounts).toEqual([{ name: 'repo', mountPath: '/repo' }]);
  });

  describe('fails when', () => {
    test('fails when the image is not pinned', () => {
      expect(errorOf(() => new Sidecar({ name: 'git-sync', image: 'alpine/git' }))).toBe('[Sidecar "git-sync"] image "alpine/git" has no '
        + 'tag, so every pull may fetch a different image. Fix: pin a version, e.g. "alpine/git:1.2.3", or a digest.');
    });

    test('fails when the name is not a DNS label', () => {
      expect(errorOf(() => new Sidecar({ name: 'Git_Sync', image: 'alpine/git:2.45.2' }))).toBe('[Sidecar "Git_Sync"] name must be a '
        + 'DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with an alphanumeric, at most 63 characters '
        + '(got "Git_Sync", 8 characters). Fix: use a name like "log-collector".');
    });

    test('fails when a port is listed twice', () => {
      expect(errorOf(() => new Sidecar({
        name: 'status', image: 'busybox:1.36.1', ports: [{ name: 'a', port: 9090 }, { name: 'b', port: 9090 }],
      }))).toBe('[Sidecar "status"] port 9090 is listed twice. Fix: list each port once.');
    });

    test('fails when a port is the app\'s port', () => {
      const chart = newChart();
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: APP, patterns: [new Sidecar({ name: 'status', image: 'busybox:1.36.1', ports: [{ name: 'status', port: 8080 }] })],
      }))).toBe('[test/web/status] port 8080 is already a port of the app container "app" ("http"); the containers '
        + 'of a Pod share one network namespace, so only one of them can listen on it. Fix: give the sidecar its own port.');
    });

    test('fails when the user is root', () => {
      expect(errorOf(() => new Sidecar({ name: 'status', image: 'busybox:1.36.1', user: 0 }))).toBe('[Sidecar "status"] user must be a numeric '
        + 'non-root user id >= 1 (got 0); 0 is root, which the restricted Pod Security Standard forbids. Fix: use the numeric user '
        + 'the image runs as, e.g. 65532.');
    });

    test('fails when a mount path is relative', () => {
      expect(errorOf(() => new Sidecar({ name: 'status', image: 'busybox:1.36.1', mounts: [{ volume: 'repo', path: 'repo' }] })))
        .toBe('[Sidecar "status"] mounts path of volume "repo" must be an absolute path without \'..\' segments (got "repo"). '
          + 'Fix: use a path like "/var/log/app".');
    });

    test('fails when an env var is given twice', () => {
      expect(errorOf(() => new Sidecar({
        name: 'status',
        image: 'busybox:1.36.1',
        env: [{ name: 'A', value: kplus.EnvValue.fromValue('1') }, { name: 'A', value: kplus.EnvValue.fromValue('2') }],
      }))).toBe('[Sidecar "status"] env var A is given twice; the second would silently replace the first. Fix: set each variable once.');
    });
  });
});
