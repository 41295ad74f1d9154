import * as kplus from 'cdk8s-plus-27';
import { NodeAgent, NodeAgentProps, NodeAgentUpdateStrategy } from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const AGENT: kplus.ContainerProps = { image: 'fluent/fluent-bit:3.1.9', securityContext: { user: 65532, group: 0 } };
const LOGS: NodeAgentProps = {
  container: AGENT,
  allowHostPaths: true,
  hostPaths: [
    { path: '/var/log/containers', mountPath: '/var/log/containers' },
    { path: '/var/log/pods', mountPath: '/var/log/pods', type: kplus.HostPathVolumeType.DIRECTORY_OR_CREATE, name: 'pods' },
  ],
};

describe('NodeAgent', () => {
  test('defaults: a DaemonSet tolerating every taint, rolling one node at a time', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new NodeAgent(chart, 'agent', { container: AGENT });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('host paths', () => {
    test('are mounted read-only and listed in an annotation', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new NodeAgent(chart, 'agent', LOGS);
      // THEN
      const ds = only(synth(chart), 'DaemonSet');
      expect(ds.metadata.annotations).toEqual({ [NodeAgent.HOST_PATHS_ANNOTATION]: '/var/log/containers,/var/log/pods' });
      expect(podSpec(ds).volumes).toEqual([
        { name: 'host-var-log-containers', hostPath: { path: '/var/log/containers', type: 'Directory' } },
        { name: 'pods', hostPath: { path: '/var/log/pods', type: 'DirectoryOrCreate' } },
      ]);
      expect(podSpec(ds).containers[0].volumeMounts).toEqual([
        { name: 'host-var-log-containers', mountPath: '/var/log/containers', readOnly: true },
        { name: 'pods', mountPath: '/var/log/pods', readOnly: true },
      ]);
    });

    test('no annotation without host paths', () => {
      const chart = newChart();
      new NodeAgent(chart, 'agent', { container: AGENT });
      expect(only(synth(chart), 'DaemonSet').metadata).not.toHaveProperty('annotations');
    });

    test('fails when host paths are given without the opt-in', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', { ...LOGS, allowHostPaths: undefined })))
        .toBe('[test/agent] hostPaths ["/var/log/containers","/var/log/pods"] mount node directories, which the Pod Security '
          + 'Standards "baseline" and "restricted" profiles forbid. Fix: set allowHostPaths: true to accept that (the mounts are '
          + 'read-only), and run the agent in a namespace whose Pod Security admission allows it.');
    });

    test('fails when a host path is mounted around the declaration', () => {
      // GIVEN
      const chart = newChart();
      const agent = new NodeAgent(chart, 'agent', LOGS);
      // WHEN
      agent.mainContainer.mount('/host/etc', kplus.Volume.fromHostPath(chart, 'etc', 'etc', { path: '/etc' }), { readOnly: true });
      // THEN
      expect(errorOf(() => synth(chart))).toContain('[test/agent] container "app" mounts hostPath volume "etc" at "/host/etc", which '
        + 'was not declared in hostPaths. Fix: declare node paths with hostPaths (and allowHostPaths: true), so they are reviewed '
        + 'and read-only.');
    });

    test('fails when a declared host path is mounted writable elsewhere', () => {
      // GIVEN
      const chart = newChart();
      const agent = new NodeAgent(chart, 'agent', LOGS);
      // WHEN the same volume is mounted a second time, writable
      const volume = agent.mainContainer.mounts[0].volume;
      agent.mainContainer.mount('/rw', volume);
      // THEN
      expect(errorOf(() => synth(chart))).toContain('[test/agent] container "app" mounts hostPath volume "host-var-log-containers" '
        + 'at "/rw" writable, but its host path is not marked writable. Fix: mount it with readOnly: true, or mark the host path '
        + 'writable (with allowWritableHostPaths).');
    });

    test('a host path marked writable, with the explicit opt-in, is mounted writable and listed in its own annotation', () => {
      // GIVEN
      const chart = newChart();
      // WHEN
      new NodeAgent(chart, 'agent', {
        ...LOGS,
        hostPaths: [...LOGS.hostPaths!, { path: '/var/cache/agent', mountPath: '/cache', type: kplus.HostPathVolumeType.DIRECTORY_OR_CREATE, writable: true }],
        allowWritableHostPaths: true,
      });
      // THEN
      const ds = only(synth(chart), 'DaemonSet');
      expect(ds.metadata.annotations).toEqual({
        [NodeAgent.HOST_PATHS_ANNOTATION]: '/var/log/containers,/var/log/pods,/var/cache/agent',
        [NodeAgent.WRITABLE_HOST_PATHS_ANNOTATION]: '/var/cache/agent',
      });
      expect(podSpec(ds).containers[0].volumeMounts).toEqual([
        { name: 'host-var-log-containers', mountPath: '/var/log/containers', readOnly: true },
        { name: 'pods', mountPath: '/var/log/pods', readOnly: true },
        { name: 'host-var-cache-agent', mountPath: '/cache', readOnly: false },
      ]);
    });

    test('fails when a host path is marked writable without the opt-in', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', {
        ...LOGS, hostPaths: [{ path: '/dev/fuse', mountPath: '/dev/fuse', writable: true }],
      }))).toBe('[test/agent] hostPaths ["/dev/fuse"] are marked writable, which lets the agent change the files of every node it '
        + 'runs on under those paths. Fix: set allowWritableHostPaths: true to accept that, or drop writable to mount them read-only.');
    });

    test('fails when the writable opt-in is given without a writable host path', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', { ...LOGS, allowWritableHostPaths: true })))
        .toBe('[test/agent] allowWritableHostPaths is set, but no hostPath is marked writable (got hostPaths '
          + '["/var/log/containers","/var/log/pods"]). Fix: drop allowWritableHostPaths, or mark the path the agent writes with writable: true.');
    });

    test('fails when a host path is relative', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', { ...LOGS, hostPaths: [{ path: 'var/log', mountPath: '/var/log' }] })))
        .toBe('[test/agent] hostPaths path must be an absolute path without \'..\' segments (got "var/log"). Fix: use a path like "/var/log/app".');
    });

    test('fails when two host paths share a volume name', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', {
        ...LOGS,
        hostPaths: [{ path: '/var/log', mountPath: '/a', name: 'logs' }, { path: '/var/lib', mountPath: '/b', name: 'logs' }],
      }))).toBe('[test/agent] two hostPaths share the volume name "logs" (the second is "/var/lib"). Fix: give one of them a distinct name.');
    });
  });

  describe('tolerations', () => {
    test('tolerate every taint by default', () => {
      const chart = newChart();
      new NodeAgent(chart, 'agent', { container: AGENT });
      expect(podSpec(only(synth(chart), 'DaemonSet')).tolerations).toEqual([{ operator: 'Exists' }]);
    });

    test('can be narrowed', () => {
      const chart = newChart();
      new NodeAgent(chart, 'agent', {
        container: AGENT,
        tolerations: [kplus.NodeTaintQuery.exists('node-role.kubernetes.io/control-plane', { effect: kplus.TaintEffect.NO_SCHEDULE })],
      });
      expect(podSpec(only(synth(chart), 'DaemonSet')).tolerations)
        .toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    });

    test('an empty list tolerates none', () => {
      const chart = newChart();
      new NodeAgent(chart, 'agent', { container: AGENT, tolerations: [] });
      expect(podSpec(only(synth(chart), 'DaemonSet'))).not.toHaveProperty('tolerations');
    });
  });

  describe('update strategy', () => {
    test('rolling update with a surge', () => {
      const chart = newChart();
      new NodeAgent(chart, 'agent', {
        container: AGENT,
        updateStrategy: NodeAgentUpdateStrategy.rollingUpdate({
          maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
          maxSurge: kplus.PercentOrAbsolute.percent(10),
        }),
      });
      expect(only(synth(chart), 'DaemonSet').spec.updateStrategy)
        .toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } });
    });

    test('OnDelete', () => {
      const chart = newChart();
      new NodeAgent(chart, 'agent', { container: AGENT, updateStrategy: NodeAgentUpdateStrategy.onDelete() });
      expect(only(synth(chart), 'DaemonSet').spec.updateStrategy).toEqual({ type: 'OnDelete' });
    });

    test('fails when neither or both of maxUnavailable and maxSurge are above 0', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', {
        container: AGENT,
        updateStrategy: NodeAgentUpdateStrategy.rollingUpdate({ maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      }))).toBe('[test/agent] updateStrategy needs exactly one of maxUnavailable and maxSurge above 0 (got maxUnavailable 0, '
        + 'maxSurge 0); Kubernetes rejects any other combination. Fix: use maxUnavailable 1 (replace in place) or maxUnavailable 0 '
        + 'with maxSurge 1 (start the new agent before stopping the old one).');
    });

    test('fails when maxUnavailable is negative', () => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', {
        container: AGENT,
        updateStrategy: NodeAgentUpdateStrategy.rollingUpdate({ maxUnavailable: kplus.PercentOrAbsolute.absolute(-1) }),
      }))).toBe('[test/agent] updateStrategy maxUnavailable must be a whole number or percentage >= 0 (got -1). '
        + 'Fix: use e.g. kplus.PercentOrAbsolute.absolute(1) or kplus.PercentOrAbsolute.percent(25).');
    });
  });
});
