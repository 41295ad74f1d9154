import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ArtifactInit, StatelessService } from '../../src';
import { errorOf, newChart } from '../util';
import { APP, container, deploymentSpec, runShell, TOMCAT, WAR } from './init-support';

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

  test('later changes to the caller\'s props or command change nothing', () => {
    // GIVEN
    const chart = newChart();
    const command = ['/bin/unpack', '/artifacts/app.zip', '/target'];
    const props = { ...WAR, command, user: 1000, readOnly: true };
    const init = new ArtifactInit(props);
    // WHEN the caller's objects change after construction
    command.push('--force');
    props.user = 0;
    props.readOnly = false;
    new StatelessService(chart, 'web', { container: TOMCAT, patterns: [init] });
    // THEN
    const spec = deploymentSpec(chart);
    const copy = container(spec, init.name);
    expect(copy.command).toEqual(['/bin/unpack', '/artifacts/app.zip', '/target']);
    expect(copy.securityContext).toMatchObject({ runAsUser: 1000 });
    expect(container(spec, 'app').volumeMounts.find((m: any) => m.name === init.volumeName).readOnly).toBe(true);
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
