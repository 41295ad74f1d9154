import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ArtifactInit, Endpoint, InitStep, KubernetesVersion, LogCollector, LogDestination, SidecarMode, StatelessService,
  WaitFor, WaitForCheck,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const TOMCAT: kplus.ContainerProps = { image: 'tomcat:10.1.30-jre21', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const WAR = { artifactImage: 'registry.example.com/sample-war:1.0.0', sourcePath: '/artifacts/sample.war', targetPath: '/usr/local/tomcat/webapps' };

function deploymentSpec(chart: ReturnType<typeof newChart>): any {
  return podSpec(only(synth(chart), 'Deployment'));
}

function container(spec: any, name: string): any {
  const found = [...(spec.initContainers ?? []), ...spec.containers].filter((c: any) => c.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Runs a rendered `sh -c` command under the local POSIX shell. */
function runShell(command: string[], args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  expect(command.slice(0, 2)).toEqual(['sh', '-c']);
  const r = spawnSync('sh', ['-c', command[2], ...command.slice(3), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
        '[InitStep "fetch"] user must be a numeric user id >= 1 (got 0); 0 is root, which the restricted Pod Security Standard '
        + 'forbids. Fix: use a non-root id such as 65532.');
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

  describe('ArtifactInit', () => {
    test('copies into a shared emptyDir that the main container mounts read-only at targetPath', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', { container: TOMCAT, patterns: [new ArtifactInit(WAR)] });
      // THEN the copy container writes the volume ...
      const spec = deploymentSpec(chart);
      const copy = container(spec, 'artifact-init');
      expect(copy.image).toBe('registry.example.com/sample-war:1.0.0');
      expect(copy.volumeMounts).toEqual([{ name: 'artifact-init', mountPath: '/mnt/artifact' }]);
      expect(copy.command.slice(0, 2)).toEqual(['sh', '-c']);
      expect(copy.command.slice(3)).toEqual(['copy-artifact', '/artifacts/sample.war', '/mnt/artifact']);
      // ... and the app reads the same volume
      expect(container(spec, 'app').volumeMounts).toEqual([{ name: 'artifact-init', mountPath: '/usr/local/tomcat/webapps', readOnly: true }]);
      expect(spec.volumes).toEqual([{ name: 'artifact-init', emptyDir: {} }]);
    });

    test('honours volumeName, readOnly, sizeLimit, initMountPath, command and user', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: TOMCAT,
        patterns: [new ArtifactInit({
          ...WAR,
          name: 'war',
          volumeName: 'webapps',
          readOnly: false,
          sizeLimit: Size.mebibytes(256),
          initMountPath: '/target',
          command: ['/bin/unpack', '/artifacts/app.zip', '/target'],
          user: 1000,
        })],
      });
      // THEN
      const spec = deploymentSpec(chart);
      const copy = container(spec, 'war');
      expect(copy.command).toEqual(['/bin/unpack', '/artifacts/app.zip', '/target']);
      expect(copy.volumeMounts).toEqual([{ name: 'webapps', mountPath: '/target' }]);
      expect(copy.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
      expect(container(spec, 'app').volumeMounts).toEqual([{ name: 'webapps', mountPath: '/usr/local/tomcat/webapps', readOnly: false }]);
      expect(spec.volumes).toEqual([{ name: 'webapps', emptyDir: { sizeLimit: '256Mi' } }]);
    });

    test('the copy command copies a file into the target, and a directory\'s contents', () => {
      // GIVEN an artifact file and an artifact directory on disk
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-'));
      fs.mkdirSync(path.join(root, 'artifacts', 'site', 'css'), { recursive: true });
      fs.writeFileSync(path.join(root, 'artifacts', 'sample.war'), 'war');
      fs.writeFileSync(path.join(root, 'artifacts', 'site', 'index.html'), 'index');
      fs.writeFileSync(path.join(root, 'artifacts', 'site', 'css', 'a.css'), 'css');
      fs.mkdirSync(path.join(root, 'out-file'));
      fs.mkdirSync(path.join(root, 'out-dir'));
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [
          new ArtifactInit({ ...WAR, name: 'war', sourcePath: path.join(root, 'artifacts', 'sample.war'), initMountPath: path.join(root, 'out-file') }),
          new ArtifactInit({ ...WAR, name: 'site', targetPath: '/srv/site', sourcePath: path.join(root, 'artifacts', 'site'), initMountPath: path.join(root, 'out-dir') }),
        ],
      });
      const spec = deploymentSpec(chart);
      // WHEN the rendered commands run
      const war = container(spec, 'war').command;
      const site = container(spec, 'site').command;
      const r1 = runShell(war, [], {});
      const r2 = runShell(site, [], {});
      // THEN
      expect([r1.status, r1.stderr]).toEqual([0, '']);
      expect([r2.status, r2.stderr]).toEqual([0, '']);
      expect(fs.readFileSync(path.join(root, 'out-file', 'sample.war'), 'utf8')).toBe('war');
      expect(fs.readFileSync(path.join(root, 'out-dir', 'index.html'), 'utf8')).toBe('index');
      expect(fs.readFileSync(path.join(root, 'out-dir', 'css', 'a.css'), 'utf8')).toBe('css');
      expect(fs.existsSync(path.join(root, 'out-dir', 'site'))).toBe(false);
    });

    test('the copy command fails when the artifact is missing', () => {
      // GIVEN
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-'));
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new ArtifactInit({ ...WAR, sourcePath: path.join(root, 'missing.war'), initMountPath: path.join(root, 'out') })],
      });
      // WHEN
      const r = runShell(container(deploymentSpec(chart), 'artifact-init').command, [], {});
      // THEN
      expect(r.status).not.toBe(0);
      expect(r.stdout).not.toContain('copied');
    });

    test('fails when sourcePath is relative', () => {
      expect(errorOf(() => new ArtifactInit({ ...WAR, sourcePath: 'artifacts/sample.war' }))).toBe(
        '[ArtifactInit "artifact-init"] sourcePath must be an absolute path without \'..\' segments (got "artifacts/sample.war"). '
        + 'Fix: use a path like "/var/log/app".');
    });

    test('fails when targetPath is relative', () => {
      expect(errorOf(() => new ArtifactInit({ ...WAR, targetPath: 'webapps' }))).toBe(
        '[ArtifactInit "artifact-init"] targetPath must be an absolute path without \'..\' segments (got "webapps"). '
        + 'Fix: use a path like "/var/log/app".');
    });

    test('fails when sourcePath overlaps initMountPath', () => {
      expect(errorOf(() => new ArtifactInit({ ...WAR, sourcePath: '/mnt/artifact/sample.war' }))).toBe(
        '[ArtifactInit "artifact-init"] sourcePath "/mnt/artifact/sample.war" overlaps initMountPath "/mnt/artifact", where the '
        + 'copy container mounts the shared volume; the mount would hide the artifact or copy it onto itself. '
        + 'Fix: set initMountPath to a path outside sourcePath, e.g. "/mnt/copy".');
    });

    test('fails when targetPath is already mounted by the main container', () => {
      // GIVEN Tomcat with its own volume at webapps
      const chart = newChart();
      const webapps = kplus.Volume.fromEmptyDir(chart, 'webapps', 'webapps');
      const tomcat = { ...TOMCAT, volumeMounts: [{ path: '/usr/local/tomcat/webapps', volume: webapps }] };
      // WHEN / THEN
      expect(errorOf(() => new StatelessService(chart, 'web', { container: tomcat, patterns: [new ArtifactInit(WAR)] }))).toBe(
        '[test/web/artifact-init] targetPath "/usr/local/tomcat/webapps" is already mounted by the main container "app"; '
        + 'a second volume at the same path is rejected by Kubernetes. Fix: use another targetPath, or remove the existing mount.');
    });

    test('fails when targetPath overlaps a mount of the main container', () => {
      // GIVEN Tomcat with a volume over its whole home
      const chart = newChart();
      const home = kplus.Volume.fromEmptyDir(chart, 'home', 'home');
      const tomcat = { ...TOMCAT, volumeMounts: [{ path: '/usr/local/tomcat/', volume: home }] };
      // WHEN / THEN
      expect(errorOf(() => new StatelessService(chart, 'web', { container: tomcat, patterns: [new ArtifactInit(WAR)] }))).toBe(
        '[test/web/artifact-init] targetPath "/usr/local/tomcat/webapps" overlaps the existing mount "/usr/local/tomcat/" '
        + 'of the main container "app"; one volume would hide part of the other. '
        + 'Fix: use a targetPath that neither contains nor lies beneath "/usr/local/tomcat/".');
    });

    test('fails when a second ArtifactInit targets the same path', () => {
      // GIVEN
      const chart = newChart();
      // WHEN / THEN
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: TOMCAT,
        patterns: [new ArtifactInit({ ...WAR, name: 'a' }), new ArtifactInit({ ...WAR, name: 'b' })],
      }))).toBe('[test/web/b] targetPath "/usr/local/tomcat/webapps" is already mounted by the main container "app"; '
        + 'a second volume at the same path is rejected by Kubernetes. Fix: use another targetPath, or remove the existing mount.');
    });

    test('fails when the artifact image is not pinned', () => {
      expect(errorOf(() => new ArtifactInit({ ...WAR, artifactImage: 'registry.example.com/sample-war:latest' }))).toBe(
        '[ArtifactInit "artifact-init"] artifactImage "registry.example.com/sample-war:latest" uses the "latest" tag, so every '
        + 'pull may fetch a different image. Fix: pin a version, e.g. "registry.example.com/sample-war:1.2.3", or a digest.');
    });

    test('fails when the artifact image has no tag', () => {
      expect(errorOf(() => new ArtifactInit({ ...WAR, artifactImage: 'registry.example.com:5000/sample-war' }))).toBe(
        '[ArtifactInit "artifact-init"] artifactImage "registry.example.com:5000/sample-war" has no tag, so every pull may '
        + 'fetch a different image. Fix: pin a version, e.g. "registry.example.com:5000/sample-war:1.2.3", or a digest.');
    });
  });

  describe('WaitFor', () => {
    test('checks every endpoint with nc -z, for 5 minutes by default', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new WaitFor({ endpoints: [Endpoint.of('db.example.com', 5432), Endpoint.of('cache', 6379)] })],
      });
      // THEN
      const c = container(deploymentSpec(chart), 'wait-for');
      expect(c.image).toBe('busybox:1.36.1');
      expect(c.command[3]).toBe('wait-for');
      expect(c.command[2]).toContain('nc -z -w 2 "$host" "$port"');
      expect(c.args).toEqual(['db.example.com:5432', 'cache:6379']);
      expect(c.env).toEqual([
        { name: 'WAIT_CHECK', value: 'tcp' },
        { name: 'WAIT_TIMEOUT_SECONDS', value: '300' },
        { name: 'WAIT_INTERVAL_SECONDS', value: '2' },
      ]);
    });

    test('honours timeout, interval, DNS checks and the image', () => {
      // GIVEN
      const chart = newChart();
      const wait = new WaitFor({
        name: 'wait-dns',
        endpoints: [Endpoint.of('db.example.com', 5432)],
        check: WaitForCheck.DNS,
        timeout: Duration.minutes(2),
        interval: Duration.seconds(5),
        image: 'busybox:1.37.0',
      });
      // WHEN
      new StatelessService(chart, 'web', { container: APP, patterns: [wait] });
      // THEN
      const c = container(deploymentSpec(chart), 'wait-dns');
      expect(wait.timeoutSeconds).toBe(120);
      expect(c.image).toBe('busybox:1.37.0');
      expect(c.command[2]).toContain('lookup() { nslookup "$1" >/dev/null 2>&1; }');
      expect(c.command[2]).toContain('if [ "$WAIT_CHECK" = dns ]; then resolves "$host" && break');
      expect(c.env).toEqual([
        { name: 'WAIT_CHECK', value: 'dns' },
        { name: 'WAIT_TIMEOUT_SECONDS', value: '120' },
        { name: 'WAIT_INTERVAL_SECONDS', value: '5' },
      ]);
    });

    test('the script exits non-zero with a clear message when the timeout is reached', () => {
      // GIVEN a rendered WaitFor, and an `nc` that never connects
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, patterns: [new WaitFor({ endpoints: [Endpoint.of('db', 5432)] })] });
      const c = container(deploymentSpec(chart), 'wait-for');
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-'));
      fs.writeFileSync(path.join(bin, 'nc'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      // WHEN it runs with a one-second timeout
      const r = runShell(c.command, c.args, { PATH: `${bin}:${process.env.PATH}`, WAIT_CHECK: 'tcp', WAIT_TIMEOUT_SECONDS: '1', WAIT_INTERVAL_SECONDS: '1' });
      // THEN
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('wait-for: db:5432 is not available after 1s (check: tcp), giving up\n');
    });

    test('the script checks every endpoint in turn and succeeds once all answer', () => {
      // GIVEN an `nc` that records its arguments and connects
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new WaitFor({ endpoints: [Endpoint.of('db', 5432), Endpoint.of('::1', 6379)] })],
      });
      const c = container(deploymentSpec(chart), 'wait-for');
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-'));
      const log = path.join(bin, 'calls');
      fs.writeFileSync(path.join(bin, 'nc'), `#!/bin/sh\necho "$@" >> ${log}\nexit 0\n`, { mode: 0o755 });
      // WHEN
      const r = runShell(c.command, c.args, { PATH: `${bin}:${process.env.PATH}`, WAIT_CHECK: 'tcp', WAIT_TIMEOUT_SECONDS: '5', WAIT_INTERVAL_SECONDS: '1' });
      // THEN
      expect(r.status).toBe(0);
      expect(fs.readFileSync(log, 'utf8')).toBe('-z -w 2 db 5432\n-z -w 2 ::1 6379\n');
      expect(r.stdout).toBe('wait-for: db:5432 is available\nwait-for: ::1:6379 is available\n');
    });

    test('connect(endpoint, { waitFor: true }) adds a WaitFor for that endpoint', () => {
      // GIVEN
      const chart = newChart();
      const web = new StatelessService(chart, 'web', { container: APP });
      // WHEN
      web.connect(Endpoint.of('db.example.com', 5432, { scheme: 'postgres' }), { envPrefix: 'DB', waitFor: true });
      // THEN
      const spec = deploymentSpec(chart);
      const c = container(spec, 'wait-db');
      expect(c.args).toEqual(['db.example.com:5432']);
      expect(c.env).toContainEqual({ name: 'WAIT_CHECK', value: 'tcp' });
      expect(web.patterns.map(p => p.name)).toEqual(['wait-db']);
      expect(container(spec, 'app').env).toContainEqual({ name: 'DB_URL', value: 'postgres://db.example.com:5432' });
    });

    test('fails when given no endpoints', () => {
      expect(errorOf(() => new WaitFor({ endpoints: [] }))).toBe(
        '[WaitFor "wait-for"] endpoints must list at least one endpoint to wait for (got []). '
        + 'Fix: pass endpoints: [Endpoint.of("db", 5432)], or drop the WaitFor.');
    });

    test('fails when the timeout is not a whole number of seconds', () => {
      expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432)], timeout: Duration.millis(1500) }))).toBe(
        '[WaitFor "wait-for"] timeout must be a whole number of seconds, at least 1 (got 1 second 500 millis). Fix: use e.g. Duration.seconds(30).');
    });

    test('fails when the interval is longer than the timeout', () => {
      expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432)], timeout: Duration.seconds(5), interval: Duration.seconds(10) }))).toBe(
        '[WaitFor "wait-for"] interval (got 10 seconds) is longer than timeout (got 5 seconds), so the step would sleep past its '
        + 'deadline after the first failed attempt. Fix: use an interval no longer than the timeout, e.g. interval: Duration.seconds(2).');
    });

    test('accepts an interval equal to the timeout', () => {
      const wait = new WaitFor({ endpoints: [Endpoint.of('db', 5432)], timeout: Duration.seconds(5), interval: Duration.seconds(5) });
      expect(wait.timeoutSeconds).toBe(5);
    });

    test('fails when an endpoint host would reach nc or nslookup as an option', () => {
      expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432), { host: '-e', port: 5432, url: '-e:5432' }] }))).toBe(
        '[WaitFor "wait-for"] endpoints[1] host must be a DNS name or an IP address (got "-e"). '
        + 'Fix: use a name like "db.prod.svc.cluster.local" or an address like "10.0.0.7".');
    });

    test('accepts DNS names (partly or fully qualified, absolute) and IP addresses', () => {
      const hosts = ['db', 'mydb.other-ns', 'mydb.other-ns.svc.cluster.local.', '_pg._tcp.db.example.com', '10.0.0.7', '::1', '[fd00::7]'];
      const chart = newChart();
      new StatelessService(chart, 'web', { container: APP, patterns: [new WaitFor({ endpoints: hosts.map(h => Endpoint.of(h, 5432)) })] });
      expect(container(deploymentSpec(chart), 'wait-for').args).toEqual(hosts.map(h => `${h}:5432`));
    });

    test('fails when the image uses the latest tag', () => {
      expect(errorOf(() => new WaitFor({ endpoints: [Endpoint.of('db', 5432)], image: 'busybox:latest' }))).toBe(
        '[WaitFor "wait-for"] image "busybox:latest" uses the "latest" tag, so every pull may fetch a different image. '
        + 'Fix: pin a version, e.g. "busybox:1.2.3", or a digest.');
    });
  });
});
