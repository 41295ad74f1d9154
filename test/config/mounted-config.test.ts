import { ConfigReloader, MountedConfig, ReloadAction, StatelessService } from '../../src';
import { FnPattern, sidecar } from '../pod/support';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP = { image: 'ghcr.io/example/orders:1.4.2', securityContext: { user: 10001 }, ports: [{ number: 8080, name: 'http' }] };
const FILES = [{ key: 'app.yaml', content: 'log: info\n' }, { key: 'routes.yaml', content: '- /orders\n' }];

describe('MountedConfig', () => {
  test('defaults: a ConfigMap mounted read-only into the main container', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'orders-config', { mountPath: '/etc/orders', files: FILES });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('the whole directory is mounted read-only, never through subPath', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'orders-config', { mountPath: '/etc/orders', files: FILES, configMapName: 'orders-config' });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
    // THEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/orders', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'config', configMap: { name: 'orders-config' } }]);
    const cm = only(manifests, 'ConfigMap');
    expect(cm.metadata.name).toBe('orders-config');
    expect(cm.data).toEqual({ 'app.yaml': 'log: info\n', 'routes.yaml': '- /orders\n' });
    expect(cm.immutable).toBe(false);
    expect([config.volumeName, config.mountPath, config.fileNames]).toEqual(['config', '/etc/orders', ['app.yaml', 'routes.yaml']]);
  });

  test('a change of the files keeps the ConfigMap name and the Pod template, so running Pods are not restarted', () => {
    // GIVEN two versions of the files
    const build = (content: string) => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'orders-config', { mountPath: '/etc/orders', files: [{ key: 'app.yaml', content }] });
      new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
      return synth(chart);
    };
    const before = build('log: info\n');
    const after = build('log: debug\n');
    // THEN only the ConfigMap's data differs
    expect(only(after, 'Deployment')).toEqual(only(before, 'Deployment'));
    expect(only(after, 'ConfigMap').metadata.name).toBe(only(before, 'ConfigMap').metadata.name);
    expect(only(after, 'ConfigMap').data).not.toEqual(only(before, 'ConfigMap').data);
  });

  test('restartOnChange puts a hash of the files on the Pod template', () => {
    // GIVEN two versions of the files, for an app that reads them only at start
    const build = (content: string) => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: [{ key: 'app.yaml', content }], restartOnChange: true });
      new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
      return only(synth(chart), 'Deployment').spec.template.metadata.annotations['container-patterns.cdk8s.io/config-config'];
    };
    // THEN
    expect(build('log: info\n')).toMatch(/^[0-9a-f]{16}$/);
    expect(build('log: debug\n')).not.toBe(build('log: info\n'));
    expect(build('log: info\n')).toBe(build('log: info\n'));
  });

  test('a sidecar of another pattern can mount the same volume by name', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, name: 'orders-config' });
    // WHEN a later pattern mounts the config volume by name
    new StatelessService(chart, 'orders', {
      container: APP,
      patterns: [config, sidecar('reader', { namedMounts: [{ volume: config.volumeName, path: '/config', readOnly: true }] })],
    });
    // THEN both containers mount the one volume
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['orders-config']);
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'orders-config', mountPath: '/config', readOnly: true }]);
  });

  test('fileMode and items choose the modes and paths of the files', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'cfg', {
      mountPath: '/etc/orders',
      files: FILES,
      configMapName: 'orders-config',
      fileMode: 0o400,
      items: [{ key: 'app.yaml', path: 'conf/app.yaml' }, { key: 'routes.yaml', path: 'routes.yaml', mode: 0o440 }],
    });
    // WHEN
    new StatelessService(chart, 'orders', { container: APP, patterns: [config] });
    // THEN
    expect(podSpec(only(synth(chart), 'Deployment')).volumes).toEqual([{
      name: 'config',
      configMap: {
        name: 'orders-config',
        defaultMode: 0o400,
        items: [{ key: 'app.yaml', path: 'conf/app.yaml' }, { key: 'routes.yaml', path: 'routes.yaml', mode: 0o440 }],
      },
    }]);
  });

  test('a ConfigReloader watching the config shares its volume, with its file mode', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, fileMode: 0o440 });
    // WHEN
    new StatelessService(chart, 'orders', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload') })],
    });
    // THEN
    const volumes = podSpec(only(synth(chart), 'Deployment')).volumes;
    expect(volumes.filter((v: any) => v.configMap)).toEqual([{ name: 'config', configMap: { name: config.configMap.name, defaultMode: 0o440 } }]);
  });

  test('a sidecar asking for the config volume with other options is refused', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, fileMode: 0o400, configMapName: 'orders-config' });
    // WHEN another pattern asks for the same volume without the mode
    const other = new FnPattern('other', host => host.configMapVolume(config.configMap, config.volumeName));
    // THEN
    expect(errorOf(() => new StatelessService(chart, 'orders', { container: APP, patterns: [config, other] }))).toBe(
      '[test/orders/other] volume "config" already shows ConfigMap "orders-config" with file modes and items {"defaultMode":256} '
      + '(got {}). Fix: ask for the volume with the same options, or use another volume name.');
  });

  describe('fails when', () => {
    test('fails when the file mode is out of range', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, fileMode: 0o1000 }))).toBe(
        '[test/cfg] fileMode must be file mode bits from 0o000 to 0o777 (got 0o1000). Fix: write the mode as an octal literal, '
        + 'e.g. 0o400 for a file only its owner may read.');
    });

    test('fails when an item names a key that is not a file', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, items: [{ key: 'db.yaml', path: 'db.yaml' }] })))
        .toBe('[test/cfg] items[0].key "db.yaml" is not one of the files (known: "app.yaml", "routes.yaml"). Fix: use the key of a file in files.');
    });

    test('fails when an item path leaves the volume', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, items: [{ key: 'app.yaml', path: '../app.yaml' }] })))
        .toBe('[test/cfg] items[0].path must be a relative path without empty or \'..\' segments (got "../app.yaml"). '
          + 'Fix: use a path like "conf/app.yaml".');
    });

    test('fails when two items share a path', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', {
        mountPath: '/etc/orders', files: FILES, items: [{ key: 'app.yaml', path: 'a.yaml' }, { key: 'routes.yaml', path: 'a.yaml' }],
      }))).toBe('[test/cfg] items lists the path "a.yaml" more than once. Fix: give each key its own path.');
    });

    test('fails when an item mode is not an integer', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', {
        mountPath: '/etc/orders', files: FILES, items: [{ key: 'app.yaml', path: 'a.yaml', mode: 4.5 }],
      }))).toBe('[test/cfg] items[0].mode must be file mode bits from 0o000 to 0o777 (got 4.5). Fix: write the mode as an octal '
        + 'literal, e.g. 0o400 for a file only its owner may read.');
    });

    test('fails when items is empty', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/orders', files: FILES, items: [] }))).toBe(
        '[test/cfg] items must list at least one key and its path (got []). Fix: e.g. items: [{ key: "app.yaml", path: '
        + '"conf/app.yaml" }], or drop items to show every key.');
    });

    test('fails when there are no files', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: [] }))).toBe(
        '[test/cfg] files must list at least one file (got []). Fix: e.g. files: [{ key: "app.yaml", content: "..." }].');
    });

    test('fails when the mount path is relative', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: 'etc/app', files: FILES }))).toBe(
        '[test/cfg] mountPath must be an absolute path without \'..\' segments (got "etc/app"). Fix: use a path like "/var/log/app".');
    });

    test('fails when a file name is not a ConfigMap key', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: [{ key: '..data', content: '' }] }))).toBe(
        '[test/cfg] files[0].key must be a file name of letters, digits, \'-\', \'_\' or \'.\', not "." and not starting with ".." '
        + '(got "..data"). Fix: use a name like "app.yaml".');
    });

    test('fails when a file is listed twice', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: [FILES[0], FILES[0]] }))).toBe(
        '[test/cfg] files lists "app.yaml" more than once. Fix: give each file its own name.');
    });

    test('fails when the configMapName is not a DNS subdomain', () => {
      const chart = newChart();
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: FILES, configMapName: 'Orders' }))).toBe(
        '[test/cfg] configMapName must be a DNS subdomain: dot-separated lowercase letters, digits and \'-\', at most 253 characters '
        + '(got "Orders"). Fix: use a name like "web-config".');
    });

    test('fails when the name is too long for the restart annotation', () => {
      const chart = newChart();
      const name = 'c'.repeat(60);
      expect(errorOf(() => new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: FILES, name, restartOnChange: true }))).toBe(
        `[test/cfg] name "${name}" is too long for restartOnChange: the Pod annotation "container-patterns.cdk8s.io/config-${name}" `
        + 'would have a name part of 67 characters, and Kubernetes allows 63. Fix: use a name of at most 56 characters.');
    });

    test('fails when a shared volume already has the config volume\'s name', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: FILES });
      const scratch = new FnPattern('scratch', host => host.sharedVolume('config'));
      expect(errorOf(() => new StatelessService(chart, 'orders', { container: APP, patterns: [scratch, config] }))).toBe(
        '[test/orders/config] ConfigMap volume "config" clashes with the shared volume of that name. Fix: use another volume name.');
    });

    test('fails when a later shared volume takes the config volume\'s name', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: FILES });
      const scratch = new FnPattern('scratch', host => host.sharedVolume('config'));
      expect(errorOf(() => new StatelessService(chart, 'orders', { container: APP, patterns: [config, scratch] }))).toBe(
        '[test/orders/scratch] shared volume "config" clashes with the ConfigMap volume of that name. Fix: use another name.');
    });

    test('fails when the app already mounts something at the mount path', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'cfg', { mountPath: '/etc/app', files: FILES });
      const other = new MountedConfig(chart, 'other', { mountPath: '/etc/app', files: FILES, name: 'other' });
      new StatelessService(chart, 'orders', { container: APP, patterns: [config, other] });
      expect(errorOf(() => synth(chart))).toContain(
        'container "app" mounts path "/etc/app" twice (volumes "config" and "other"). Fix: mount each volume at its own path.');
    });
  });
});
