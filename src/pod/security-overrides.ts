import * as kplus from 'cdk8s-plus-27';
import { PodSecurityException } from './pod-security-exception';

/**
 * @internal
 * One security setting of a rendered Pod spec that needs a
 * `PodSecurityException`.
 */
export interface SecurityOverride {
  /**
   * The exception that accepts it; undefined for `runAsUser: 0`, which only the
   * main container's `runAsRoot` opt-in accepts.
   */
  readonly exception?: PodSecurityException;
  /** The container that sets it, or undefined for a Pod-level setting. */
  readonly container?: string;
  /** The container's kind, as the policy report names it ('container', 'init container', 'sidecar'). */
  readonly containerKind?: string;
  /** What is set, e.g. `securityContext.privileged: true`. */
  readonly setting: string;
  /** What it gives the Pod. */
  readonly consequence: string;
  /** The Pod Security profile it fails. */
  readonly profile: 'baseline' | 'restricted';
}

const ROOT = { consequence: 'which runs the processes as root', profile: 'restricted' as const };
const CONSEQUENCES: Record<string, { consequence: string; profile: 'baseline' | 'restricted' }> = {
  [PodSecurityException.PRIVILEGED]: { consequence: 'which gives it every capability and device of the node', profile: 'baseline' },
  [PodSecurityException.PRIVILEGE_ESCALATION]: { consequence: 'which lets a setuid binary gain privileges the process did not start with', profile: 'restricted' },
  [PodSecurityException.ADDED_CAPABILITIES]: { consequence: 'which grants privileges beyond those of an unprivileged process', profile: 'restricted' },
  [PodSecurityException.HOST_NETWORK]: { consequence: 'which shares the node\'s network namespace, past NetworkPolicies', profile: 'baseline' },
  [PodSecurityException.HOST_PID]: { consequence: 'which shows the Pod every process of the node', profile: 'baseline' },
  [PodSecurityException.HOST_IPC]: { consequence: 'which shares the node\'s IPC and shared memory', profile: 'baseline' },
};

/**
 * @internal
 * Every setting of a rendered Pod spec that needs a `PodSecurityException`
 * (host paths apart) or, for `runAsUser: 0`, the main container's root
 * opt-in; Pod-level first, then containers in render order.
 */
export function securityOverrides(spec: any): SecurityOverride[] {
  const out: SecurityOverride[] = [];
  const add = (exception: PodSecurityException, setting: string, container?: any, containerKind?: string) =>
    out.push({ exception, setting, container: container?.name, containerKind, ...CONSEQUENCES[exception] });
  const root = (container?: any, containerKind?: string) =>
    out.push({ setting: 'securityContext.runAsUser: 0', container: container?.name, containerKind, ...ROOT });
  if (!spec || typeof spec !== 'object') return out;
  if (spec.hostNetwork === true) add(PodSecurityException.HOST_NETWORK, 'hostNetwork: true');
  if (spec.hostPID === true) add(PodSecurityException.HOST_PID, 'hostPID: true');
  if (spec.hostIPC === true) add(PodSecurityException.HOST_IPC, 'hostIPC: true');
  if (spec.securityContext?.runAsUser === 0) root();
  const check = (c: any, kind: string) => {
    if (!c || typeof c !== 'object') return;
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) add(PodSecurityException.PRIVILEGED, 'securityContext.privileged: true', c, kind);
    if (sc.allowPrivilegeEscalation === true) add(PodSecurityException.PRIVILEGE_ESCALATION, 'securityContext.allowPrivilegeEscalation: true', c, kind);
    if (sc.runAsUser === 0) root(c, kind);
    const added: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
    if (added.length > 0) add(PodSecurityException.ADDED_CAPABILITIES, `securityContext.capabilities.add ${JSON.stringify(added)}`, c, kind);
  };
  for (const c of spec.initContainers ?? []) check(c, c?.restartPolicy === 'Always' ? 'sidecar' : 'init container');
  for (const c of spec.containers ?? []) check(c, 'container');
  return out;
}

/** Node paths that give control of the node, at or under which a host path is sensitive. */
const SENSITIVE_TREES = ['/proc', '/sys', '/var/lib/kubelet'];
/** Node paths that are sensitive themselves (their subdirectories may not be). */
const SENSITIVE_EXACT = ['/', '/etc', '/run', '/var/run', '/run/containerd', '/var/run/containerd', '/run/crio', '/var/run/crio',
  '/run/docker', '/var/run/docker', '/var/lib/docker', '/var/lib/containerd'];
const RUNTIME_SOCKETS = ['containerd.sock', 'docker.sock', 'crio.sock', 'dockershim.sock', 'cri-dockerd.sock'];

/**
 * @internal
 * Why a node path gives control of the node, or undefined when it does not.
 */
export function sensitiveHostPath(path: string): string | undefined {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (RUNTIME_SOCKETS.includes(base)) {
    return 'is a container runtime socket: any process that can open it, read-only mount or not, drives the runtime and can start a privileged container on the node';
  }
  if (SENSITIVE_TREES.some(t => p === t || p.startsWith(`${t}/`)) || SENSITIVE_EXACT.includes(p)) {
    return 'exposes the node\'s credentials, kernel interfaces or container runtime sockets to the agent';
  }
  return undefined;
}

/**
 * @internal
 * The security settings of `pod` as read from its model, shaped like the
 * rendered Pod spec that `securityOverrides` reads: `hostNetwork`, the Pod's
 * `runAsUser`, and per container its name, `restartPolicy: Always` for a
 * native sidecar, and `privileged`, `allowPrivilegeEscalation`, `runAsUser`
 * and `capabilities.add`. Settings only an escape-hatch patch can make
 * (hostPID, hostIPC) are not in the model: a patched object is read rendered.
 */
export function modelPodSpec(pod: kplus.AbstractPod, isNativeSidecar: (c: kplus.Container) => boolean): any {
  const container = (c: kplus.Container) => ({
    name: c.name,
    ...(isNativeSidecar(c) ? { restartPolicy: 'Always' } : {}),
    securityContext: {
      privileged: c.securityContext.privileged,
      allowPrivilegeEscalation: c.securityContext.allowPrivilegeEscalation,
      runAsUser: c.securityContext.user,
      capabilities: { add: c.securityContext.capabilities?.add ?? [] },
    },
  });
  return {
    hostNetwork: pod.hostNetwork,
    securityContext: { runAsUser: pod.securityContext.user },
    initContainers: pod.initContainers.map(container),
    containers: pod.containers.map(container),
  };
}
