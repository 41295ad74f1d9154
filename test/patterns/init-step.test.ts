import * as kplus from 'cdk8s-plus-27';
import { ArtifactInit, Endpoint, InitStep, KubernetesVersion, LogCollector, LogDestination, SidecarMode, StatelessService, WaitFor } from '../../src';
import { errorOf, newChart, synth } from '../util';
import { APP, container, deploymentSpec, TOMCAT, WAR } from './init-support';

describe('init steps', () => {
  test('defaults: InitStep, ArtifactInit and WaitFor', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', {
      container: TOMCAT,
      patterns: [
        new InitStep({ name: 'prepare', image: 'busybox:1.36.1', command: ['true'] }),
        new ArtifactInit(WAR),
        new WaitFor({ endpoints: [Endpoint.of('db.example.com', 5432)] }),
      ],
    });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('InitStep', () => {
    test('renders image, command, args, env and working directory with the restricted defaults', () => {
      // GIVEN
      const chart = newChart();
      const secret = kplus.Secret.fromSecretName(chart, 'db-creds', 'db-creds');
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new InitStep({
          name: 'migrate',
          image: 'flyway/flyway:10.20.1',
          command: ['flyway'],
          args: ['migrate'],
          workingDir: '/flyway',
          env: [
            { name: 'FLYWAY_URL', value: kplus.EnvValue.fromValue('jdbc:postgresql://db:5432/app') },
            { name: 'FLYWAY_PASSWORD', value: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
          ],
        })],
      });
      // THEN
      const c = container(deploymentSpec(chart), 'migrate');
      expect(c.image).toBe('flyway/flyway:10.20.1');
      expect(c.command).toEqual(['flyway']);
      expect(c.args).toEqual(['migrate']);
      expect(c.workingDir).toBe('/flyway');
      expect(c.env).toEqual([
        { name: 'FLYWAY_URL', value: 'jdbc:postgresql://db:5432/app' },
        { name: 'FLYWAY_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
      ]);
      expect(c.resources).toEqual({ limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
      expect(c.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true });
    });

    test('mounts shared volumes in the step and in the main container, creating each volume once', () => {
      // GIVEN a step that fills a volume the app reads
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new InitStep({
          name: 'render',
          image: 'busybox:1.36.1',
          command: ['sh', '-c', 'echo hi > /out/index.html'],
          mounts: [{ volume: 'site', path: '/out' }],
          mainMounts: [{ volume: 'site', path: '/usr/share/nginx/html', readOnly: true }],
          user: 1000,
        })],
      });
      // THEN
      const spec = deploymentSpec(chart);
      expect(container(spec, 'render').volumeMounts).toEqual([{ name: 'site', mountPath: '/out' }]);
      expect(container(spec, 'render').securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
      expect(container(spec, 'app').volumeMounts).toEqual([{ name: 'site', mountPath: '/usr/share/nginx/html', readOnly: true }]);
      expect(spec.volumes).toEqual([{ name: 'site', emptyDir: {} }]);
    });

    test('two steps naming the same volume share it', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [
          new InitStep({ name: 'fetch', image: 'busybox:1.36.1', mounts: [{ volume: 'work', path: '/work' }] }),
          new InitStep({ name: 'unpack', image: 'busybox:1.36.1', mounts: [{ volume: 'work', path: '/data' }] }),
        ],
      });
      // THEN
      const spec = deploymentSpec(chart);
      expect(spec.volumes).toEqual([{ name: 'work', emptyDir: {} }]);
      expect(container(spec, 'unpack').volumeMounts).toEqual([{ name: 'work', mountPath: '/data' }]);
    });

    test('fails when a mounted volume is neither listed in sharedVolumes nor exists', () => {
      // GIVEN a step that creates no volume
      const chart = newChart();
      // WHEN
      const step = new InitStep({ name: 'fetch', image: 'busybox:1.36.1', mounts: [{ volume: 'data', path: '/data' }], sharedVolumes: [] });
      // THEN
      expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, patterns: [step] }))).toBe(
        '[test/web/fetch] container "fetch" mounts volume "data" at "/data", but the Pod has no volume of that name (known: none). '
        + 'Fix: create it first with sharedVolume("data") or declare it as a volume claim template.');
    });

    test('fails when a step is given a relative mount path', () => {
      expect(errorOf(() => new InitStep({ name: 'fetch', image: 'busybox:1.36.1', mounts: [{ volume: 'data', path: 'data' }] }))).toBe(
        '[InitStep "fetch"] mounts path of volume "data" must be an absolute path without \'..\' segments (got "data"). '
        + 'Fix: use a path like "/var/log/app".');
    });

    test('fails when a step sets an env var twice', () => {
      const value = kplus.EnvValue.fromValue('x');
      expect(errorOf(() => new InitStep({ name: 'fetch', image: 'busybox:1.36.1', env: [{ name: 'A', value }, { name: 'A', value }] }))).toBe(
        '[InitStep "fetch"] env var A is given twice; the second would silently replace the first. Fix: set each variable once.');
    });

    test('fails when a step runs as root', () => {
      expect(errorOf(() => new InitStep({ name: 'fetch', image: 'busybox:1.36.1', user: 0 }))).toBe(
        '[InitStep "fetch"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted Pod Security Standard '
        + 'forbids. Fix: use the numeric user the image runs as, e.g. 65532.');
    });

    test('fails when a step image has no tag', () => {
      expect(errorOf(() => new InitStep({ name: 'fetch', image: 'busybox' }))).toBe(
        '[InitStep "fetch"] image "busybox" has no tag, so every pull may fetch a different image. '
        + 'Fix: pin a version, e.g. "busybox:1.2.3", or a digest.');
    });
  });

  describe('ordering', () => {
    const patterns = () => [
      new InitStep({ name: 'first', image: 'busybox:1.36.1' }),
      new LogCollector({ logDir: '/var/log/app', destination: LogDestination.stdout() }),
      new ArtifactInit({ ...WAR, name: 'second', targetPath: '/opt/plugins' }),
      new WaitFor({ name: 'third', endpoints: [Endpoint.of('db', 5432)] }),
    ];

    test('init steps run in the order the patterns were added (CLASSIC)', () => {
      // GIVEN
      const chart = newChart();
      // WHEN three patterns come from props and one is added later
      const web = new StatelessService(chart, 'web', { container: APP, patterns: patterns() });
      web.addPattern(new InitStep({ name: 'fourth', image: 'busybox:1.36.1' }));
      // THEN
      const spec = deploymentSpec(chart);
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['first', 'second', 'third', 'fourth']);
      expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-collector']);
    });

    test('init steps keep their order behind the native sidecars (NATIVE)', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      const web = new StatelessService(chart, 'web', {
        container: APP, patterns: patterns(), sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29,
      });
      web.addPattern(new InitStep({ name: 'fourth', image: 'busybox:1.36.1' }));
      // THEN
      const spec = deploymentSpec(chart);
      expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
        ['log-collector', 'Always'], ['first', undefined], ['second', undefined], ['third', undefined], ['fourth', undefined],
      ]);
      expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    });
  });
});
