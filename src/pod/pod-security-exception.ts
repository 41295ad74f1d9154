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
