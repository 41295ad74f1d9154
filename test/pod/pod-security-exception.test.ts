import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeAgent, PodSecurityException, RootOptIn, StatelessService, StatelessServiceProps } from '../../src';
import { sensitiveHostPath } from '../../src/pod/security-overrides';
import { errorOf, newChart, podSpec, synth } from '../util';

const APP: kplus.ContainerProps = { image: 'nginx:1.27.2', securityContext: { user: 10001 }, ports: [{ number: 8080 }] };
const AGENT: kplus.ContainerProps = { image: 'fluent/fluent-bit:3.1.9', securityContext: { user: 10001 } };

/**
 * A StatelessService with `props` and a JSON patch on its Deployment (patches
 * of a typed object name fields as its props do, e.g. hostPid), synthesized.
 */
function web(props: Partial<StatelessServiceProps>, patch?: [string, unknown]): () => any[] {
  return () => {
    const chart = newChart();
    const svc = new StatelessService(chart, 'web', { container: APP, ...props });
    if (patch) ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add(patch[0], patch[1]));
    return synth(chart);
  };
}

const refused = (problem: string, profile: string, key: string) => 'Validation failed with the following errors:\n  [test/web] '
  + `${problem}; the Pod then fails the Pod Security Standards "${profile}" profile. Fix: remove the setting, or accept it with `
  + `securityExceptions: [PodSecurityException.${key}] and run the workload in a namespace that allows it.`;

describe('PodSecurityException', () => {
  const cases: [string, Partial<StatelessServiceProps>, [string, unknown] | undefined, PodSecurityException, string, string, string][] = [
    ['privileged', { container: { ...APP, securityContext: { user: 10001, privileged: true } } }, undefined, PodSecurityException.PRIVILEGED,
      'container "app" sets securityContext.privileged: true, which gives it every capability and device of the node', 'baseline', 'PRIVILEGED'],
    ['allowPrivilegeEscalation', { container: { ...APP, securityContext: { user: 10001, allowPrivilegeEscalation: true } } }, undefined,
      PodSecurityException.PRIVILEGE_ESCALATION, 'container "app" sets securityContext.allowPrivilegeEscalation: true, which lets a '
      + 'setuid binary gain privileges the process did not start with', 'restricted', 'PRIVILEGE_ESCALATION'],
    ['added capabilities', {}, ['/spec/template/spec/containers/0/securityContext/capabilities', { add: ['NET_ADMIN'] }],
      PodSecurityException.ADDED_CAPABILITIES, 'container "app" sets securityContext.capabilities.add ["NET_ADMIN"], which grants '
      + 'privileges beyond those of an unprivileged process', 'restricted', 'ADDED_CAPABILITIES'],
    ['hostNetwork', {}, ['/spec/template/spec/hostNetwork', true], PodSecurityException.HOST_NETWORK,
      'the Pod sets hostNetwork: true, which shares the node\'s network namespace, past NetworkPolicies', 'baseline', 'HOST_NETWORK'],
    ['hostPID', {}, ['/spec/template/spec/hostPid', true], PodSecurityException.HOST_PID,
      'the Pod sets hostPID: true, which shows the Pod every process of the node', 'baseline', 'HOST_PID'],
    ['hostIPC', {}, ['/spec/template/spec/hostIpc', true], PodSecurityException.HOST_IPC,
      'the Pod sets hostIPC: true, which shares the node\'s IPC and shared memory', 'baseline', 'HOST_IPC'],
  ];

  test.each(cases)('fails when the Pod sets %s without the exception', (_what, props, patch, _exception, problem, profile, key) => {
    expect(errorOf(web(props, patch))).toEqual(refused(problem, profile, key));
  });

  test.each(cases)('renders %s with its exception', (_what, props, patch, exception) => {
    // WHEN
    const manifests = web({ ...props, securityExceptions: [exception] }, patch)();
    // THEN the setting is rendered as asked
    const spec = podSpec(manifests.find(m => m.kind === 'Deployment'));
    const rendered = JSON.stringify(spec);
    expect(rendered).toMatch(/"privileged":true|"allowPrivilegeEscalation":true|"NET_ADMIN"|"host(Network|PID|IPC)":true/);
  });

  test('an exception accepts only its own setting', () => {
    expect(errorOf(web({ securityExceptions: [PodSecurityException.PRIVILEGED] }, ['/spec/template/spec/hostNetwork', true])))
      .toEqual(refused('the Pod sets hostNetwork: true, which shares the node\'s network namespace, past NetworkPolicies', 'baseline', 'HOST_NETWORK'));
  });

  describe('runAsUser 0', () => {
    const rootRefused = (who: string) => 'Validation failed with the following errors:\n  [test/web] '
      + `${who} sets securityContext.runAsUser: 0, which runs the processes as root; the Pod then fails the Pod Security Standards `
      + '"restricted" profile. Fix: remove the setting and give a numeric non-root user; only the main container may run as root, '
      + 'with runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY.';

    test('renders on the main container that opts into root', () => {
      const spec = podSpec(web({ container: { image: 'nginx:1.27.2', ports: [{ number: 8080 }] }, runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY })()
        .find(m => m.kind === 'Deployment'));
      expect(spec.containers[0].securityContext.runAsUser).toBe(0);
    });

    test('fails when a JSON patch sets it on the Pod', () => {
      expect(errorOf(web({}, ['/spec/template/spec/securityContext/runAsUser', 0]))).toEqual(rootRefused('the Pod'));
    });

    test('fails when a JSON patch sets it on the main container without the opt-in', () => {
      expect(errorOf(web({}, ['/spec/template/spec/containers/0/securityContext/runAsUser', 0]))).toEqual(rootRefused('container "app"'));
    });

    test('fails on a second container even when the main container opts into root', () => {
      const run = web({ container: { image: 'nginx:1.27.2', ports: [{ number: 8080 }] }, runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY },
        ['/spec/template/spec/containers/1', { name: 'helper', image: 'busybox:1.36', securityContext: { runAsUser: 0 } }]);
      expect(errorOf(run)).toEqual(rootRefused('container "helper"'));
    });
  });

  test('the exceptions are copied at construction', () => {
    // GIVEN
    const exceptions = [PodSecurityException.PRIVILEGED];
    const chart = newChart();
    const svc = new StatelessService(chart, 'web', { container: APP, securityExceptions: exceptions });
    // WHEN the caller's array changes later
    exceptions.push(PodSecurityException.HOST_PID);
    // THEN
    expect(svc.securityExceptions).toEqual([PodSecurityException.PRIVILEGED]);
  });

  describe('sensitive host paths of a NodeAgent', () => {
    test.each([
      ['/'], ['/etc'], ['/etc/'], ['/proc'], ['/proc/1'], ['/sys'], ['/sys/fs/cgroup'], ['/var/lib/kubelet'], ['/var/lib/kubelet/pods'],
      ['/run'], ['/var/run'], ['/run/containerd'],
    ])('fails when %s is mounted without the exception', path => {
      const chart = newChart();
      expect(errorOf(() => new NodeAgent(chart, 'agent', { container: AGENT, allowHostPaths: true, hostPaths: [{ path, mountPath: '/host' }] })))
        .toEqual(`[test/agent] host path ${JSON.stringify(path)} exposes the node's credentials, kernel interfaces or container `
          + 'runtime sockets to the agent. Fix: mount only the directories the agent reads (e.g. "/var/log/pods"), or accept that the '
          + 'agent controls the node with securityExceptions: [PodSecurityException.SENSITIVE_HOST_PATH].');
    });

    test.each([['/run/containerd/containerd.sock'], ['/var/run/docker.sock'], ['/var/run/crio/crio.sock']])(
      'fails when the runtime socket %s is mounted, read-only as every host path', path => {
        const chart = newChart();
        expect(errorOf(() => new NodeAgent(chart, 'agent', { container: AGENT, allowHostPaths: true, hostPaths: [{ path, mountPath: '/host.sock' }] })))
          .toEqual(`[test/agent] host path ${JSON.stringify(path)} is a container runtime socket: any process that can open it, `
            + 'read-only mount or not, drives the runtime and can start a privileged container on the node. Fix: mount only the '
            + 'directories the agent reads (e.g. "/var/log/pods"), or accept that the agent controls the node with '
            + 'securityExceptions: [PodSecurityException.SENSITIVE_HOST_PATH].');
      });

    test('mounts a sensitive path with the exception, read-only', () => {
      // GIVEN
      const chart = newChart();
      new NodeAgent(chart, 'agent', {
        container: AGENT,
        allowHostPaths: true,
        securityExceptions: [PodSecurityException.SENSITIVE_HOST_PATH],
        hostPaths: [{ path: '/proc', mountPath: '/host/proc' }],
      });
      // WHEN
      const spec = podSpec(synth(chart).find(m => m.kind === 'DaemonSet'));
      // THEN
      expect(spec.volumes).toEqual([{ name: 'host-proc', hostPath: { path: '/proc', type: 'Directory' } }]);
      expect(spec.containers[0].volumeMounts).toEqual([{ mountPath: '/host/proc', name: 'host-proc', readOnly: true }]);
    });

    test.each([['/var/log/pods'], ['/var/log'], ['/etc-data'], ['/var/lib/kubelet-logs'], ['/run/app']])('accepts %s', path => {
      expect(sensitiveHostPath(path)).toBeUndefined();
    });
  });
});
