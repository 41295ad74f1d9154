import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BatchTask, KUBERNETES_VERSION_CONTEXT, KubernetesVersion, PodSecurityException, SidecarMode, StatelessService, WorkloadKind } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';
import { APP, FnPattern, initStep, sidecar } from './support';
import * as pipeline from '../../src/pod/render/pipeline';

describe('composition core', () => {
  test('defaults: a hardened Pod with the main container only', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new StatelessService(chart, 'web', { container: APP });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('the Pod template names the main container for kubectl logs/exec', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: { ...APP, name: 'api' }, patterns: [sidecar('logs')] });
    const template = only(synth(chart), 'Deployment').spec.template;
    expect(template.metadata.annotations['kubectl.kubernetes.io/default-container']).toBe('api');
  });

  test('init steps run in the order the patterns were added', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP, patterns: [initStep('first'), initStep('second')] });
    web.addPattern(initStep('third'));
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['first', 'second', 'third']);
  });

  test('CLASSIC sidecars are app containers', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, patterns: [sidecar('logs')] });
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'logs']);
    expect(spec.initContainers).toBeUndefined();
  });

  test('NATIVE sidecars on 1.29 are init containers with restartPolicy: Always, ahead of the init steps', () => {
    // GIVEN an init step added before a sidecar
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      patterns: [initStep('migrate'), sidecar('proxy')],
    });
    // THEN the sidecar comes first and keeps running
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['proxy', 'Always'], ['migrate', undefined]]);
  });

  test('probes of NATIVE sidecars are rendered on their init container entry', () => {
    // GIVEN a sidecar with all three probes
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      patterns: [sidecar('proxy', {
        ports: [{ number: 9000, name: 'proxy' }],
        readiness: kplus.Probe.fromTcpSocket({ port: 9000 }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: 9000 }),
        startup: kplus.Probe.fromCommand(['true'], { failureThreshold: 5 }),
      })],
    });
    // THEN
    const proxy = podSpec(only(synth(chart), 'Deployment')).initContainers[0];
    expect(proxy.name).toBe('proxy');
    expect(proxy.restartPolicy).toBe('Always');
    expect(proxy.readinessProbe).toMatchObject({ tcpSocket: { port: 9000 } });
    expect(proxy.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 9000 } });
    expect(proxy.startupProbe).toMatchObject({ exec: { command: ['true'] }, failureThreshold: 5 });
    // and the keys of the entry stay sorted
    expect(Object.keys(proxy)).toEqual([...Object.keys(proxy)].sort());
  });

  test('a CLASSIC sidecar keeps its probe in containers', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [sidecar('proxy', { ports: [{ number: 9000, name: 'proxy' }], readiness: kplus.Probe.fromTcpSocket({ port: 9000 }) })],
    });
    expect(podSpec(only(synth(chart), 'Deployment')).containers[1].readinessProbe).toMatchObject({ tcpSocket: { port: 9000 } });
  });

  test.each<[KubernetesVersion, SidecarMode]>([
    [KubernetesVersion.V1_27, SidecarMode.CLASSIC],
    [KubernetesVersion.V1_29, SidecarMode.CLASSIC],
    [KubernetesVersion.V1_32, SidecarMode.CLASSIC],
    [KubernetesVersion.V1_33, SidecarMode.NATIVE],
    [KubernetesVersion.V1_34, SidecarMode.NATIVE],
  ])('without sidecarMode, Kubernetes %s renders sidecars %s', (version, mode) => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP, kubernetesVersion: version, patterns: [sidecar('proxy')] });
    expect(web.sidecarMode).toBe(mode);
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(mode === SidecarMode.NATIVE ? ['app'] : ['app', 'proxy']);
  });

  test('an explicit CLASSIC wins over the 1.33 default', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: APP, kubernetesVersion: KubernetesVersion.V1_33, sidecarMode: SidecarMode.CLASSIC, patterns: [sidecar('proxy')],
    });
    expect(web.sidecarMode).toBe(SidecarMode.CLASSIC);
    expect(podSpec(only(synth(chart), 'Deployment')).containers.map((c: any) => c.name)).toEqual(['app', 'proxy']);
  });

  test('the context version decides the default sidecar mode', () => {
    const chart = newChart({ [KUBERNETES_VERSION_CONTEXT]: '1.34' });
    expect(new StatelessService(chart, 'web', { container: APP }).sidecarMode).toBe(SidecarMode.NATIVE);
  });

  test.each<[string]>([['1.26'], ['1.35']])('fails when the context version is %s, outside the supported range', version => {
    const chart = newChart({ [KUBERNETES_VERSION_CONTEXT]: version });
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP }))).toBe('[test/web] the context value '
      + `cdk8s-container-patterns/kubernetesVersion: the version must be from 1.27 to 1.34, the versions this library targets (got "${version}"). `
      + 'Fix: target the version of your oldest cluster, or 1.34 if it runs a newer one; clusters older than 1.27 are not supported.');
  });

  test('fails when NATIVE sidecars target Kubernetes 1.27', () => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP, sidecarMode: SidecarMode.NATIVE })))
      .toBe('[test/web] sidecarMode NATIVE needs Kubernetes >= 1.29 (got kubernetesVersion 1.27). Native sidecars are init '
        + 'containers with restartPolicy: Always, which older API servers reject or silently drop. Fix: if your clusters run 1.29 or '
        + 'later, set kubernetesVersion: KubernetesVersion.V1_29 on the workload, or for every workload call app.node.setContext('
        + '"cdk8s-container-patterns/kubernetesVersion", "1.29") right after new App() in main.ts (cdk8s.yaml does not reach '
        + 'the app); else use SidecarMode.CLASSIC.');
  });

  test('the target version can come from the app context', () => {
    const chart = newChart({ [KUBERNETES_VERSION_CONTEXT]: '1.30' });
    const web = new StatelessService(chart, 'web', { container: APP, sidecarMode: SidecarMode.NATIVE });
    expect(web.kubernetesVersion.version).toBe('1.30');
  });

  test.each<[unknown]>([['1.29.3'], ['v1.29'], [1.3]])('fails when the context version is %j, naming the context key', version => {
    const chart = newChart({ [KUBERNETES_VERSION_CONTEXT]: version });
    expect(errorOf(() => new StatelessService(chart, 'web', { container: APP }))).toBe('[test/web] the context value '
      + `cdk8s-container-patterns/kubernetesVersion must be a version like "1.29" (got ${JSON.stringify(version)}). Fix: set the context `
      + 'key cdk8s-container-patterns/kubernetesVersion to the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29"), '
      + 'with app.node.setContext on the App before adding charts.');
  });

  test('every container is hardened for PSS restricted', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, patterns: [initStep('init'), sidecar('side')] });
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
    }
    // the library's own containers get a numeric non-root user and small resources
    expect(spec.containers[1].securityContext.runAsUser).toBe(65532);
    expect(spec.containers[1].resources).toEqual({ limits: { cpu: '200m', memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
    expect(spec.initContainers[0].resources).toEqual({ limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
  });

  test('pod security settings from props are rendered, and the seccomp profile is still added', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      podSecurityContext: { fsGroup: 2000, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] },
    });
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.securityContext).toEqual({
      fsGroup: 2000,
      fsGroupChangePolicy: 'Always',
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }],
    });
  });

  test('capabilities a container adds (with their exception) are kept, and ALL is still dropped', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: { ...APP, securityContext: { user: 10001, capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } } },
      securityExceptions: [PodSecurityException.ADDED_CAPABILITIES],
    });
    const c = podSpec(only(synth(chart), 'Deployment')).containers[0];
    expect(c.securityContext.capabilities).toEqual({ add: ['CAP_NET_BIND_SERVICE'], drop: ['ALL'] });
  });

  test('two patterns asking for the same shared volume share it', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [
        new FnPattern('writer', host => host.addInitContainer({ name: 'writer', image: 'busybox:1.36.1', namedMounts: [{ volume: 'shared', path: '/out' }] })),
        new FnPattern('reader', host => {
          host.sharedVolume('shared');
          host.addSidecar({ name: 'reader', image: 'busybox:1.36.1', namedMounts: [{ volume: 'shared', path: '/in', readOnly: true }] });
        }),
      ].reverse(),
    });
    const spec = podSpec(only(synth(chart), 'Deployment'));
    expect(spec.volumes).toEqual([{ emptyDir: {}, name: 'shared' }]);
    expect(spec.initContainers[0].volumeMounts).toEqual([{ mountPath: '/out', name: 'shared' }]);
    expect(spec.containers[1].volumeMounts).toEqual([{ mountPath: '/in', name: 'shared', readOnly: true }]);
  });

  test('fails when a shared volume is asked for with different options', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    web.addPattern(new FnPattern('a', host => host.sharedVolume('cache', { medium: kplus.EmptyDirMedium.MEMORY })));
    expect(errorOf(() => web.addPattern(new FnPattern('b', host => host.sharedVolume('cache', { medium: kplus.EmptyDirMedium.DEFAULT })))))
      .toBe('[test/web/b] shared volume "cache" was already created with different options (medium "Memory", sizeLimit none); '
        + 'got medium default (node disk), sizeLimit none. Fix: ask for the shared volume with the same options, or use another name.');
  });

  test('rendering is late: a pattern added after construction shows up, and its port reaches the Service when exposed', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    web.addPattern(sidecar('metrics', { ports: [{ number: 9100, name: 'metrics' }] }, { name: 'metrics', port: 9100, expose: true }));
    web.addPattern(sidecar('admin', { ports: [{ number: 9901, name: 'admin' }] }, { name: 'admin', port: 9901 }));
    const out = synth(chart);
    expect(podSpec(only(out, 'Deployment')).containers.map((c: any) => c.name)).toEqual(['app', 'metrics', 'admin']);
    expect(only(out, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
  });

  test('env vars from patterns reach the main container; setting one twice fails', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new FnPattern('env', host => host.addMainEnv('REDIS_ADDR', kplus.EnvValue.fromValue('127.0.0.1:6379')))],
    });
    expect(podSpec(only(synth(chart), 'Deployment')).containers[0].env).toEqual([{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);
    expect(errorOf(() => web.addPattern(new FnPattern('env2', host => host.addMainEnv('REDIS_ADDR', kplus.EnvValue.fromValue('x'))))))
      .toBe('[test/web/env2] env var REDIS_ADDR is already set on container "app"; setting it again would silently replace it. '
        + 'Fix: use a different name or prefix.');
  });

  test('the host tells the pattern where it runs', () => {
    const chart = newChart();
    const seen: any[] = [];
    new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new FnPattern('probe', host => seen.push([host.workloadKind, host.sidecarMode, host.kubernetesVersion.version,
        host.mainContainerName, host.mainPorts.map(p => p.port)]))],
    });
    expect(seen).toEqual([[WorkloadKind.DEPLOYMENT, SidecarMode.CLASSIC, '1.27', 'app', [8080]]]);
  });

  test('config maps of patterns are hashed onto the Pod template, so a change rolls the Pods', () => {
    const hashFor = (content: string) => {
      const chart = newChart();
      new StatelessService(chart, 'web', {
        container: APP,
        patterns: [new FnPattern('cfg', host => host.addConfigMap('Config', [{ key: 'app.conf', content }]))],
      });
      return only(synth(chart), 'Deployment').spec.template.metadata.annotations['container-patterns.cdk8s.io/config-hash'];
    };
    expect(hashFor('a = 1')).toMatch(/^[0-9a-f]{16}$/);
    expect(hashFor('a = 1')).toBe(hashFor('a = 1'));
    expect(hashFor('a = 2')).not.toBe(hashFor('a = 1'));
  });

  test('fails when two patterns share a name', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP, patterns: [sidecar('logs')] });
    expect(errorOf(() => web.addPattern(sidecar('logs'))))
      .toBe('[test/web] a pattern named "logs" is already attached to this workload. Fix: give the second pattern a distinct name '
        + '(the name prop of the pattern).');
  });

  test('fails when a pattern container has no name', () => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', {
      container: APP,
      patterns: [new FnPattern('anon', host => host.addSidecar({ image: 'busybox:1.36.1' }))],
    }))).toBe('[test/web/anon] sidecar needs a name (got none). Fix: pass name, e.g. "sidecar".');
  });

  test.each([
    ['busybox', '[test/web] container.image "busybox" has no tag, so every pull may fetch a different image. Fix: pin a version, e.g. "busybox:1.2.3", or a digest.'],
    ['busybox:latest', '[test/web] container.image "busybox:latest" uses the "latest" tag, so every pull may fetch a different image. Fix: pin a version, e.g. "busybox:1.2.3", or a digest.'],
    ['registry:5000/team/app', '[test/web] container.image "registry:5000/team/app" has no tag, so every pull may fetch a different image. Fix: pin a version, e.g. "registry:5000/team/app:1.2.3", or a digest.'],
  ])('fails when the image is not pinned (%s)', (image, message) => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', { container: { image } }))).toBe(message);
  });

  test('images pinned by digest are accepted', () => {
    const chart = newChart();
    expect(() => new StatelessService(chart, 'web', { container: { image: `busybox@sha256:${'a'.repeat(64)}`, securityContext: { user: 10001 } } })).not.toThrow();
  });

  test('fails when a container name is not a DNS label', () => {
    const chart = newChart();
    expect(errorOf(() => new StatelessService(chart, 'web', { container: { ...APP, name: 'My_App' } })))
      .toBe('[test/web] container.name must be a DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with an '
        + 'alphanumeric, at most 63 characters (got "My_App", 6 characters). Fix: use a name like "log-collector".');
  });
});

describe('KubernetesVersion', () => {
  test('parses and compares', () => {
    expect(KubernetesVersion.of('1.31').isAtLeast(KubernetesVersion.V1_29)).toBe(true);
    expect(KubernetesVersion.V1_28.isAtLeast(KubernetesVersion.V1_29)).toBe(false);
    expect(KubernetesVersion.V1_29.version).toBe('1.29');
  });

  test('knows 1.27 to 1.34', () => {
    const all = [KubernetesVersion.V1_27, KubernetesVersion.V1_28, KubernetesVersion.V1_29, KubernetesVersion.V1_30,
      KubernetesVersion.V1_31, KubernetesVersion.V1_32, KubernetesVersion.V1_33, KubernetesVersion.V1_34];
    expect(all.map(v => v.version)).toEqual(['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34']);
    expect(KubernetesVersion.of('1.34').minor).toBe(34);
    expect(KubernetesVersion.OLDEST).toBe(KubernetesVersion.V1_27);
    expect(KubernetesVersion.NEWEST).toBe(KubernetesVersion.V1_34);
  });

  test('the default sidecar mode is NATIVE from 1.33', () => {
    expect(KubernetesVersion.V1_32.defaultSidecarMode).toBe(SidecarMode.CLASSIC);
    expect(KubernetesVersion.V1_33.defaultSidecarMode).toBe(SidecarMode.NATIVE);
  });

  test.each<[string]>([['1.26'], ['1.35'], ['1.0']])('fails when the version %s is outside 1.27 to 1.34', version => {
    expect(errorOf(() => KubernetesVersion.of(version))).toBe('[KubernetesVersion.of] the version must be from 1.27 to 1.34, the versions '
      + `this library targets (got "${version}"). Fix: target the version of your oldest cluster, or 1.34 if it runs a newer one; `
      + 'clusters older than 1.27 are not supported.');
  });

  test('fails when the version has a leading zero', () => {
    expect(errorOf(() => KubernetesVersion.of('1.029'))).toBe('[KubernetesVersion.of] expected a version like "1.29" (got "1.029"). '
      + 'Fix: give the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29").');
  });

  test('fails when the version is not "1.N"', () => {
    expect(errorOf(() => KubernetesVersion.of('v1.29'))).toBe('[KubernetesVersion.of] expected a version like "1.29" (got "v1.29"). Fix: give the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29").');
  });
});

describe('what validation renders', () => {
  const validate = (chart: ReturnType<typeof newChart>) => chart.node.findAll().flatMap(c => c.node.validate());

  test('a workload without escape-hatch patches is not rendered at validation: its checks read the model', () => {
    // GIVEN
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP, sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29 });
    const renders = jest.spyOn(pipeline, 'renderWorkload');
    // WHEN
    expect(validate(chart)).toEqual([]);
    // THEN
    expect(renders).toHaveBeenCalledTimes(0);
    renders.mockRestore();
  });

  test('the library\'s own JSON patches (a BatchTask\'s completions) are no escape hatch: the checks still read the model', () => {
    // GIVEN a Job, whose completions and parallelism the library sets with JSON patches of its own
    const chart = newChart();
    const job = new BatchTask(chart, 'job', { container: APP, completions: 3 });
    const renders = jest.spyOn(pipeline, 'renderWorkload');
    // WHEN
    expect(validate(chart)).toEqual([]);
    // THEN nothing was rendered
    expect(renders).toHaveBeenCalledTimes(0);
    renders.mockRestore();
    // AND the fields are rendered
    expect(ApiObject.of(job.job).toJson().spec).toMatchObject({ completions: 3, parallelism: 1 });
  });

  test('a workload with an escape-hatch patch is rendered at validation, so that the patch is checked', () => {
    // GIVEN
    const chart = newChart();
    const web = new StatelessService(chart, 'web', { container: APP });
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/metadata/annotations', { team: 'web' }));
    const renders = jest.spyOn(pipeline, 'renderWorkload');
    // WHEN
    expect(validate(chart)).toEqual([]);
    // THEN
    expect(renders).toHaveBeenCalledTimes(1);
    renders.mockRestore();
  });
});
