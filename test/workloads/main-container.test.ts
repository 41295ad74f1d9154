import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BatchTask, KubernetesVersion, NodeAgent, PolicyReport, PolicySeverity, ResourcePreset, RootOptIn, Sidecar, SidecarMode, StatelessService } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 101, group: 101 } };

function deploymentSpec(build: (chart: ReturnType<typeof newChart>) => void): any {
  const chart = newChart();
  build(chart);
  return podSpec(only(synth(chart), 'Deployment'));
}

describe('main container: user', () => {
  test('a numeric user of the Pod is enough', () => {
    // GIVEN / WHEN a user set only at Pod level
    const spec = deploymentSpec(c => new StatelessService(c, 'web', {
      container: { image: 'nginx:1.27.2', ports: [{ number: 8080 }] },
      podSecurityContext: { user: 2000 },
    }));
    // THEN the Pod runs as that user and the container still asks for non-root
    expect(spec.securityContext.runAsUser).toBe(2000);
    expect(spec.containers[0].securityContext.runAsNonRoot).toBe(true);
  });

  test('the root opt-in runs the main container as user 0 and keeps the rest hardened', () => {
    // WHEN
    const spec = deploymentSpec(c => new StatelessService(c, 'web', {
      container: { image: 'nginx:1.7.9', ports: [{ number: 8080 }] },
      runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY,
    }));
    // THEN
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: false,
      runAsUser: 0,
    });
  });
});

describe('main container: resources', () => {
  test('a service gets ResourcePreset.SMALL, not cdk8s-plus\'s 1 CPU / 512Mi', () => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', { container: APP }));
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
  });

  test.each([
    [ResourcePreset.NANO, '50m', '64Mi', '250m', '128Mi'],
    [ResourcePreset.MICRO, '100m', '128Mi', '500m', '256Mi'],
    [ResourcePreset.SMALL, '250m', '256Mi', '1000m', '512Mi'],
    [ResourcePreset.MEDIUM, '500m', '512Mi', '2000m', '1024Mi'],
    [ResourcePreset.LARGE, '1000m', '1024Mi', '4000m', '2048Mi'],
    [ResourcePreset.XLARGE, '2000m', '4096Mi', '8000m', '8192Mi'],
  ])('preset %s requests %s / %s and limits %s / %s', (preset, cpuReq, memReq, cpuLim, memLim) => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', { container: APP, resourcePreset: preset }));
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: cpuReq, memory: memReq }, limits: { cpu: cpuLim, memory: memLim } });
  });

  test('a NodeAgent defaults to ResourcePreset.NANO, since it runs on every node', () => {
    const chart = newChart();
    new NodeAgent(chart, 'agent', { container: { image: 'fluent/fluent-bit:3.1.9', securityContext: { user: 10001 } } });
    const spec = podSpec(only(synth(chart), 'DaemonSet'));
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } });
  });

  test('resources given on the container are kept as they are', () => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', {
      container: { ...APP, resources: { memory: { request: Size.mebibytes(40), limit: Size.mebibytes(80) } } },
    }));
    expect(spec.containers[0].resources).toEqual({ requests: { memory: '40Mi' }, limits: { memory: '80Mi' } });
  });
});

describe('main container: writable paths', () => {
  test('each writable path is an emptyDir mounted at its path, with its size limit and medium', () => {
    // WHEN
    const spec = deploymentSpec(c => new StatelessService(c, 'web', {
      container: APP,
      writablePaths: [
        { path: '/var/cache/nginx', sizeLimit: Size.mebibytes(64) },
        { path: '/var/run', medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1) },
      ],
    }));
    // THEN
    expect(spec.volumes).toEqual([
      { name: 'writable-var-cache-nginx', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'writable-var-run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { mountPath: '/var/cache/nginx', name: 'writable-var-cache-nginx' },
      { mountPath: '/var/run', name: 'writable-var-run' },
    ]);
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('main container: ports below 1024', () => {
  test('a non-root container on port 80 gets the unprivileged-port sysctl set to its lowest port', () => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', { container: { ...APP, ports: [{ number: 443, name: 'https' }, { number: 80, name: 'http' }, { number: 8080, name: 'alt' }] } }));
    expect(spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
  });

  test('other sysctls of the Pod are kept', () => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', {
      container: { ...APP, ports: [{ number: 80 }] },
      podSecurityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] },
    }));
    expect(spec.securityContext.sysctls).toEqual([
      { name: 'net.ipv4.tcp_syncookies', value: '1' },
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '80' },
    ]);
  });

  test('a sidecar port below 1024, added after construction, lowers the sysctl too (the lowest port of the Pod wins)', () => {
    const spec = deploymentSpec(c => {
      const web = new StatelessService(c, 'web', { container: { ...APP, ports: [{ number: 443, name: 'https' }] } });
      web.addPattern(new Sidecar({ name: 'status', image: 'busybox:1.36.1', ports: [{ name: 'status', port: 81 }] }));
      return web;
    });
    expect(spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '81' }]);
  });

  test('a native sidecar port below 1024 lowers the sysctl', () => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', {
      container: APP,
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      patterns: [new Sidecar({ name: 'status', image: 'busybox:1.36.1', ports: [{ name: 'status', port: 99 }] })],
    }));
    expect(spec.initContainers[0].name).toBe('status');
    expect(spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '99' }]);
  });

  test('fails at synth when a set sysctl is above a sidecar\'s port', () => {
    const chart = newChart();
    const web = new StatelessService(chart, 'web', {
      container: APP,
      podSecurityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '1000' }] },
    });
    web.addPattern(new Sidecar({ name: 'status', image: 'busybox:1.36.1', ports: [{ name: 'status', port: 81 }] }));
    expect(errorOf(() => synth(chart))).toBe('Validation failed with the following errors:\n  [test/web] podSecurityContext sets '
      + 'net.ipv4.ip_unprivileged_port_start to "1000", yet container "status" runs as a non-root user and declares port 81, which it '
      + 'then cannot bind. Fix: set the sysctl to 81 or lower, or drop it and let the library set it.');
  });

  test('no sysctl for ports from 1024 up, nor for a container running as root', () => {
    const high = deploymentSpec(c => new StatelessService(c, 'web', { container: APP }));
    const root = deploymentSpec(c => new StatelessService(c, 'web', {
      container: { image: 'nginx:1.7.9', ports: [{ number: 80 }] },
      runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY,
    }));
    expect(high.securityContext.sysctls).toBeUndefined();
    expect(root.securityContext.sysctls).toBeUndefined();
  });
});

describe('main container: readiness', () => {
  test('a service without a readiness probe gets a TCP probe on its first port', () => {
    const spec = deploymentSpec(c => new StatelessService(c, 'web', { container: APP }));
    expect(spec.containers[0].readinessProbe).toEqual({ failureThreshold: 3, tcpSocket: { port: 8080 } });
  });

  test('a readiness probe given is kept, and a Job gets none', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: { ...APP, readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }) } });
    new BatchTask(chart, 'task', { container: { ...APP } });
    const manifests = synth(chart);
    expect(podSpec(only(manifests, 'Deployment')).containers[0].readinessProbe.httpGet.path).toBe('/ready');
    expect(podSpec(only(manifests, 'Job')).containers[0].readinessProbe).toBeUndefined();
  });

  test('the PolicyReport finds no ERROR in a service at defaults', () => {
    const chart = newChart();
    new StatelessService(chart, 'web', { container: APP });
    const report = PolicyReport.fromChart(chart);
    expect(report.findings.filter(f => f.severity === PolicySeverity.ERROR)).toEqual([]);
  });
});
