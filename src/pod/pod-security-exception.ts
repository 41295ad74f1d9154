/**
 * A security setting that breaks the Pod Security Standards, which a
 * workload may only render when it names it in `securityExceptions`.
 *
 * Without the exception, a workload whose rendered Pod has the setting fails
 * the synth, however the setting got there (props, `addContainer`, an
 * escape-hatch JSON patch). Each value says which Pod Security profile the Pod
 * then fails: the namespace it runs in must allow that profile
 * (`pod-security.kubernetes.io/enforce` label), or admission rejects the Pod.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityException {
  /**
   * A container with `securityContext.privileged: true`: it gets every
   * capability and every device of the node, so a compromise of the container
   * is a compromise of the node. Fails "baseline".
   */
  PRIVILEGED = 'privileged',

  /**
   * A container with `securityContext.allowPrivilegeEscalation: true`: a
   * setuid binary in its image can gain more privileges than the process
   * started with. Fails "restricted".
   */
  PRIVILEGE_ESCALATION = 'allowPrivilegeEscalation',

  /**
   * `runAsUser: 0` in the Pod's (or a container's) security context: the
   * processes run as root, which owns every file of the image and of the
   * mounted volumes. Fails "restricted".
   */
  RUN_AS_ROOT = 'runAsRoot',

  /**
   * A container that adds Linux capabilities (`securityContext.capabilities.add`),
   * e.g. NET_ADMIN or SYS_PTRACE. Fails "restricted" for anything but
   * NET_BIND_SERVICE, and "baseline" for anything outside its default set.
   */
  ADDED_CAPABILITIES = 'addedCapabilities',

  /**
   * `hostNetwork: true`: the Pod shares the node's network namespace, so it
   * can bind any node port and see (and reach) every interface of the node,
   * past NetworkPolicies. Fails "baseline".
   */
  HOST_NETWORK = 'hostNetwork',

  /**
   * `hostPID: true`: the Pod sees every process of the node, and can read the
   * environment (and so the secrets) of processes of the same user. Fails
   * "baseline".
   */
  HOST_PID = 'hostPID',

  /**
   * `hostIPC: true`: the Pod shares the node's System V IPC and POSIX shared
   * memory, so it can read and write the shared memory of other Pods' processes.
   * Fails "baseline".
   */
  HOST_IPC = 'hostIPC',

  /**
   * A `NodeAgent` host path that gives control of the node: `/`, `/etc`,
   * `/proc`, `/sys`, `/var/lib/kubelet` (or anything under the last three),
   * and container runtime sockets (`containerd.sock`, `docker.sock`,
   * `crio.sock`, or the directories `/run`, `/var/run` and the runtimes'
   * directories that hold them). Mounting read-only does not protect a socket:
   * any process that can open it drives the container runtime, i.e. can start
   * a privileged container on the node. Files under `/etc` and
   * `/var/lib/kubelet` hold node credentials. Fails "baseline" like every
   * host path.
   */
  SENSITIVE_HOST_PATH = 'sensitiveHostPath',
}

/**
 * @internal
 * One security setting of a rendered Pod spec that needs a
 * `PodSecurityException`.
 */
export interface SecurityOverride {
  readonly exception: PodSecurityException;
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

const CONSEQUENCES: Record<string, { consequence: string; profile: 'baseline' | 'restricted' }> = {
  [PodSecurityException.PRIVILEGED]: { consequence: 'which gives it every capability and device of the node', profile: 'baseline' },
  [PodSecurityException.PRIVILEGE_ESCALATION]: { consequence: 'which lets a setuid binary gain privileges the process did not start with', profile: 'restricted' },
  [PodSecurityException.RUN_AS_ROOT]: { consequence: 'which runs the processes as root', profile: 'restricted' },
  [PodSecurityException.ADDED_CAPABILITIES]: { consequence: 'which grants privileges beyond those of an unprivileged process', profile: 'restricted' },
  [PodSecurityException.HOST_NETWORK]: { consequence: 'which shares the node\'s network namespace, past NetworkPolicies', profile: 'baseline' },
  [PodSecurityException.HOST_PID]: { consequence: 'which shows the Pod every process of the node', profile: 'baseline' },
  [PodSecurityException.HOST_IPC]: { consequence: 'which shares the node\'s IPC and shared memory', profile: 'baseline' },
};

/**
 * @internal
 * Every setting of a rendered Pod spec that needs a `PodSecurityException`
 * (host paths apart), Pod-level first, then containers in render order.
 */
export function securityOverrides(spec: any): SecurityOverride[] {
  const out: SecurityOverride[] = [];
  const add = (exception: PodSecurityException, setting: string, container?: any, containerKind?: string) =>
    out.push({ exception, setting, container: container?.name, containerKind, ...CONSEQUENCES[exception] });
  if (!spec || typeof spec !== 'object') return out;
  if (spec.hostNetwork === true) add(PodSecurityException.HOST_NETWORK, 'hostNetwork: true');
  if (spec.hostPID === true) add(PodSecurityException.HOST_PID, 'hostPID: true');
  if (spec.hostIPC === true) add(PodSecurityException.HOST_IPC, 'hostIPC: true');
  if (spec.securityContext?.runAsUser === 0) add(PodSecurityException.RUN_AS_ROOT, 'securityContext.runAsUser: 0');
  const containers: { c: any; kind: string }[] = [
    ...(spec.initContainers ?? []).map((c: any) => ({ c, kind: c?.restartPolicy === 'Always' ? 'sidecar' : 'init container' })),
    ...(spec.containers ?? []).map((c: any) => ({ c, kind: 'container' })),
  ].filter(x => x.c && typeof x.c === 'object');
  for (const { c, kind } of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) add(PodSecurityException.PRIVILEGED, 'securityContext.privileged: true', c, kind);
    if (sc.allowPrivilegeEscalation === true) add(PodSecurityException.PRIVILEGE_ESCALATION, 'securityContext.allowPrivilegeEscalation: true', c, kind);
    if (sc.runAsUser === 0) add(PodSecurityException.RUN_AS_ROOT, 'securityContext.runAsUser: 0', c, kind);
    const added: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
    if (added.length > 0) add(PodSecurityException.ADDED_CAPABILITIES, `securityContext.capabilities.add ${JSON.stringify(added)}`, c, kind);
  }
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
