import { Duration } from 'cdk8s';
import { ConfigReloader, MountedConfig, ReloadAction, ReloadMethod, ReloadSignal, RootOptIn, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP = { image: 'nginxinc/nginx-unprivileged:1.27.2-alpine', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 101, group: 101 } };
const FILES = [{ key: 'app.conf', content: 'worker_connections 512;\n' }];

function reloaderOf(manifests: any[]): any {
  return podSpec(only(manifests, 'Deployment')).containers.find((c: any) => c.name === 'config-reloader');
}

function envMap(container: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of container.env ?? []) out[e.name] = e.value;
  return out;
}

describe('ConfigReloader', () => {
  test('defaults: a busybox sidecar that POSTs to the app\'s reload URL when the mounted files change', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload') })],
    });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('the sidecar mounts the same ConfigMap volume, read-only, at the app\'s path, and is small and hardened', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload') })],
    });
    // THEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    const reloader = reloaderOf(manifests);
    expect(reloader.image).toBe('busybox:1.36.1');
    expect(reloader.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/app', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'config', configMap: { name: only(manifests, 'ConfigMap').metadata.name } }]);
    expect(reloader.resources).toEqual({ limits: { cpu: '50m', memory: '32Mi' }, requests: { cpu: '5m', memory: '16Mi' } });
    expect(reloader.securityContext).toMatchObject({ runAsUser: 65532, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(envMap(reloader)).toEqual({ WATCH_DIR: '/etc/app', INTERVAL: '10', RELOAD_URL: 'http://127.0.0.1:8080/-/reload' });
    expect(spec.shareProcessNamespace).toBeUndefined();
  });

  test('an HTTP action runs as the given user, and the props are copied at construction', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    const props = { config, action: ReloadAction.httpPost(8080, '/-/reload'), user: 2000, image: 'busybox:1.37.0' };
    const reloader = new ConfigReloader(props);
    // WHEN the caller's object changes after construction
    (props as any).image = 'busybox:latest';
    new StatelessService(chart, 'web', { container: APP, patterns: [config, reloader] });
    // THEN
    const c = reloaderOf(synth(chart));
    expect(c.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, runAsNonRoot: true });
    expect(c.image).toBe('busybox:1.37.0');
    expect(ConfigReloader.DEFAULT_IMAGE).toBe('busybox:1.36.1');
  });

  test('an HTTP GET action uses a plain GET', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    const action = ReloadAction.httpGet(9000, '/reload?all=1');
    // WHEN
    new StatelessService(chart, 'web', { container: APP, patterns: [config, new ConfigReloader({ config, action })] });
    // THEN
    const script: string = reloaderOf(synth(chart)).command[2];
    expect(script).toContain('reload() { wget -q -O /dev/null "$RELOAD_URL"; }');
    expect(script).not.toContain('--post-data');
    expect([action.method, action.url]).toEqual([ReloadMethod.GET, 'http://127.0.0.1:9000/reload?all=1']);
  });

  test('a signal action shares the process namespace and runs as the app\'s user', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/nginx/conf.d', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', user: 101 }) })],
    });
    // THEN
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    const reloader = reloaderOf(manifests);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(reloader.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101 });
    expect(envMap(reloader)).toEqual({ WATCH_DIR: '/etc/nginx/conf.d', INTERVAL: '10', RELOAD_SIGNAL: 'HUP', RELOAD_PROCESS: 'nginx' });
    // the name is compared as a string with each process's /proc/<pid>/comm: never a pattern nor an option of pkill
    expect(reloader.command[2]).toContain('[ "$name" = "$RELOAD_PROCESS" ] || continue');
    expect(reloader.command[2]).toContain('kill -s "$RELOAD_SIGNAL" "$pid"');
    expect(reloader.command[2]).not.toMatch(/pkill|pgrep/);
  });

  test('a signal action runs the reloader as the main container\'s user, else the Pod\'s', () => {
    // GIVEN an app whose container sets its user, and one whose Pod sets it
    const own = newChart();
    const ownConfig = new MountedConfig(own, 'config', { mountPath: '/etc/app', files: FILES });
    const pod = newChart();
    const podConfig = new MountedConfig(pod, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN neither signal action names a user
    new StatelessService(own, 'web', {
      container: APP,
      patterns: [ownConfig, new ConfigReloader({ config: ownConfig, action: ReloadAction.signal({ processName: 'nginx' }) })],
    });
    new StatelessService(pod, 'web', {
      container: { image: 'example/app:1.0.0', ports: [{ number: 8080 }] },
      podSecurityContext: { user: 2000, group: 2000 },
      patterns: [podConfig, new ConfigReloader({ config: podConfig, action: ReloadAction.signal({ processName: 'app' }) })],
    });
    // THEN each reloader runs as its app
    expect(reloaderOf(synth(own)).securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101 });
    expect(reloaderOf(synth(pod)).securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000 });
  });

  test('process names that would be a pattern or an option elsewhere are passed as they are', () => {
    // GIVEN
    const chart = newChart();
    const a = new MountedConfig(chart, 'a', { mountPath: '/etc/a', files: FILES });
    const b = new MountedConfig(chart, 'b', { mountPath: '/etc/b', files: FILES });
    // WHEN
    new StatelessService(chart, 'dot', { container: APP, patterns: [a, new ConfigReloader({ config: a, action: ReloadAction.signal({ processName: 's.' }) })] });
    new StatelessService(chart, 'dash', { container: APP, patterns: [b, new ConfigReloader({ config: b, action: ReloadAction.signal({ processName: '-v' }) })] });
    // THEN
    const manifests = synth(chart);
    const names = manifests.filter(m => m.kind === 'Deployment')
      .map(d => envMap(podSpec(d).containers.find((c: any) => c.name === 'config-reloader')).RELOAD_PROCESS);
    expect(names.sort()).toEqual(['-v', 's.']);
  });

  test('every "$" of a user string is doubled for the kubelet, which would expand "$(VAR)" in env values', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    const action = ReloadAction.httpPost(8080, '/-/reload$(WATCH_DIR)$$');
    // WHEN
    new StatelessService(chart, 'web', { container: APP, patterns: [config, new ConfigReloader({ config, action })] });
    // THEN the URL stays literal; the rendered value reads back as it (see test/integration/busybox-scripts.test.ts)
    expect(action.url).toBe('http://127.0.0.1:8080/-/reload$(WATCH_DIR)$$');
    expect(envMap(reloaderOf(synth(chart))).RELOAD_URL).toBe('http://127.0.0.1:8080/-/reload$$(WATCH_DIR)$$$$');
  });

  test('the reloader may be attached before the config it watches', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', signal: ReloadSignal.USR2 }) }), config],
    });
    // THEN one volume, mounted by both
    const manifests = synth(chart);
    const spec = podSpec(only(manifests, 'Deployment'));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['config']);
    expect(spec.containers.map((c: any) => c.volumeMounts)).toEqual([
      [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
      [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    ]);
    expect(envMap(reloaderOf(manifests)).RELOAD_SIGNAL).toBe('USR2');
  });

  test('interval, name, image and resources can be set', () => {
    // GIVEN
    const chart = newChart();
    const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
    // WHEN
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [config, new ConfigReloader({
        config, action: ReloadAction.httpPost(8080, '/-/reload'), name: 'reload', interval: Duration.seconds(30), image: 'busybox:1.37.0',
      })],
    });
    // THEN
    const c = podSpec(only(synth(chart), 'Deployment')).containers[1];
    expect([c.name, c.image, envMap(c).INTERVAL]).toEqual(['reload', 'busybox:1.37.0', '30']);
  });

  describe('fails when', () => {
    test('fails when the reload path does not start with a slash', () => {
      expect(errorOf(() => ReloadAction.httpPost(8080, '-/reload'))).toBe(
        '[ReloadAction.httpPost] path must be a URL path starting with "/", without spaces (got "-/reload"). Fix: e.g. "/-/reload".');
    });

    test('fails when the reload port is out of range', () => {
      expect(errorOf(() => ReloadAction.httpGet(0, '/reload'))).toBe(
        '[ReloadAction.httpGet] port must be an integer between 1 and 65535 (got 0). Fix: use the port the program listens on, e.g. 8080.');
    });

    test('fails when the process name is not a process name', () => {
      expect(errorOf(() => ReloadAction.signal({ processName: 'nginx: master process' }))).toBe(
        '[ReloadAction.signal] processName must be a process name of 1 to 15 letters, digits, \'.\', \'_\', \'+\' or \'-\', as in '
        + '/proc/<pid>/comm (got "nginx: master process"). Fix: use the name of the app\'s executable, e.g. "nginx".');
    });

    test('fails when user is root', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload'), user: 0 }))).toBe(
        '[ConfigReloader "config-reloader"] user must be a numeric non-root user id >= 1 (got 0); 0 is root, which the restricted '
        + 'Pod Security Standard forbids. Fix: use a non-root id such as 65532.');
    });

    test('fails when user is given with a signal action', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx' }), user: 1000 }))).toBe(
        '[ConfigReloader "config-reloader"] user (got 1000) applies to an HTTP action; a signal action runs as the app\'s user, the '
        + 'only one whose processes it may signal. Fix: drop user, or pass it to ReloadAction.signal({ processName, user }) when '
        + 'the main container sets none.');
    });

    test('fails when the process name is one of the reloader\'s own', () => {
      expect(errorOf(() => ReloadAction.signal({ processName: 'sh' }))).toBe(
        '[ReloadAction.signal] processName "sh" is also a process of the reloader, which would signal itself instead of the app. '
        + 'Fix: use the name of the app\'s executable.');
    });

    test('fails when the signal action\'s user differs from the main container\'s', () => {
      // GIVEN an app running as 101
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      // WHEN / THEN
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: APP,
        patterns: [config, new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'nginx', user: 65532 }) })],
      }))).toBe('[test/web/config-reloader] the signal action\'s user (got 65532) differs from the '
        + 'user of the main container "app" (101): the kernel lets a process signal only processes of its own user, so every reload '
        + 'would fail. Fix: pass user: 101, or leave user unset to take the main container\'s.');
    });

    test('fails when the main container runs as root', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new StatelessService(chart, 'web', {
        container: { image: 'example/app:1.0.0', ports: [{ number: 8080 }] },
        runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY,
        patterns: [config, new ConfigReloader({ config, action: ReloadAction.signal({ processName: 'app' }) })],
      }))).toBe('[test/web/config-reloader] a signal action needs the reloader to run as the '
        + 'app\'s user, but the main container "app" runs as root (got user 0) and the reloader never does, so the kernel would '
        + 'refuse every signal. Fix: run the app as a non-root user, or reload it with ReloadAction.httpPost.');
    });

    test('fails when the signal user is root', () => {
      expect(errorOf(() => ReloadAction.signal({ processName: 'nginx', user: 0 }))).toBe(
        '[ReloadAction.signal] user must be a numeric non-root user id >= 1 (got 0). Fix: use the user the app runs as.');
    });

    test('fails when the interval is below a second', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload'), interval: Duration.millis(500) })))
        .toBe('[ConfigReloader "config-reloader"] interval must be a whole number of seconds >= 1 (got 0.5 seconds). '
          + 'Fix: e.g. interval: Duration.seconds(10).');
    });

    test('fails when the image is not pinned', () => {
      const chart = newChart();
      const config = new MountedConfig(chart, 'config', { mountPath: '/etc/app', files: FILES });
      expect(errorOf(() => new ConfigReloader({ config, action: ReloadAction.httpPost(8080, '/-/reload'), image: 'busybox:latest' })))
        .toBe('[ConfigReloader "config-reloader"] image "busybox:latest" uses the "latest" tag, so every pull may fetch a different '
          + 'image. Fix: pin a version, e.g. "busybox:1.2.3", or a digest.');
    });

    test('fails when no config is given', () => {
      expect(errorOf(() => new ConfigReloader({ config: undefined as any, action: ReloadAction.httpPost(8080, '/-/reload') }))).toBe(
        '[ConfigReloader "config-reloader"] config and action are required (got config undefined, action "set"). '
        + 'Fix: pass the MountedConfig to watch and a ReloadAction.');
    });

    test('fails when a workload already has a different volume of the config\'s name', () => {
      const chart = newChart();
      const a = new MountedConfig(chart, 'a', { mountPath: '/etc/a', files: FILES });
      const b = new MountedConfig(chart, 'b', { mountPath: '/etc/b', files: FILES });
      const web = new StatelessService(chart, 'web', { container: APP, patterns: [a] });
      expect(errorOf(() => web.addPattern(new ConfigReloader({ config: b, action: ReloadAction.httpPost(8080, '/-/reload') })))).toBe(
        `[test/web/config-reloader] volume "config" already holds ConfigMap "${a.configMap.name}" (got ConfigMap "${b.configMap.name}"). `
        + 'Fix: use another volume name for the second ConfigMap.');
    });
  });
});
