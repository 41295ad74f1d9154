/**
 * A rule of the {@link PolicyReport}. The value is the rule's stable id; it
 * never changes once published, so it can be used to filter findings in CI.
 */
export enum PolicyRule {
  /**
   * The main container of a long-running Pod declares a readiness probe.
   * Without one, a Pod counts as ready as soon as its process starts: Services
   * send it traffic before it can answer, and a rolling update of a broken
   * version carries on.
   *
   * The main container is the one named by the Pod template annotation
   * `kubectl.kubernetes.io/default-container`, else the first entry of
   * `containers`. Sidecars and Jobs are not checked. An ERROR when a Service
   * selects the Pods, else a WARNING.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  READINESS_PROBE = 'main-container-readiness-probe',

  /**
   * Every container (init steps and sidecars included) sets CPU and memory
   * requests and a memory limit, so the scheduler can place the Pod and a
   * leaking container cannot starve its neighbours. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
   */
  CONTAINER_RESOURCES = 'container-resources',

  /**
   * A replicated workload (a Deployment or StatefulSet with 2 or more
   * replicas, or scaled by a HorizontalPodAutoscaler to 2 or more) has a
   * PodDisruptionBudget that selects its Pods, so a node drain cannot take
   * all of them down at once. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
   */
  DISRUPTION_BUDGET = 'replicated-disruption-budget',

  /**
   * A replicated workload spreads its Pods over nodes: a topology spread
   * constraint or a pod anti-affinity term that selects its own Pods.
   * Otherwise the replicas may all land on one node, which then is a single
   * point of failure. A WARNING, since the kube-scheduler's default topology
   * spreading already prefers (without requiring) to spread them.
   *
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
   */
  SPREAD = 'replicated-spread',

  /**
   * Every container image is pinned to a version tag other than `latest`, or
   * to a digest, so that every node runs the same code. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-names
   */
  PINNED_IMAGE = 'container-image-pinned',

  /**
   * A Pod mounts a service account token only when it names its service
   * account explicitly (`serviceAccountName` other than `default`); otherwise
   * it sets `automountServiceAccountToken: false`. An ERROR.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
   */
  SERVICE_ACCOUNT_TOKEN = 'service-account-token',

  /**
   * No environment variable whose name looks like a secret (it contains
   * PASSWORD, PASSWD, SECRET or TOKEN, or has a name segment ending in KEY
   * such as API_KEY) carries a literal, non-empty `value`; such values belong
   * in a Secret, referenced with `valueFrom.secretKeyRef`. Names whose last
   * segment (split at '_', '-' and '.') is FILE, PATH or DIR hold a location,
   * not the secret, and are not flagged. An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
   */
  PLAINTEXT_SECRET_ENV = 'env-plaintext-secret',

  /**
   * A container that may run as root: its effective `runAsUser` (container,
   * else Pod) is 0, or its effective `runAsNonRoot` is not true. Workloads of
   * this library do so only with `runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY`;
   * such a Pod meets the "baseline" Pod Security Standard, not "restricted".
   * A WARNING, since it is an explicit choice.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  RUNS_AS_ROOT = 'container-runs-as-root',

  /**
   * No container sets `securityContext.privileged: true` (every capability and
   * device of the node). Fails Pod Security "baseline". An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
   */
  PRIVILEGED = 'container-privileged',

  /**
   * No container sets `securityContext.allowPrivilegeEscalation: true` (a
   * setuid binary can gain privileges). Fails Pod Security "restricted". An
   * ERROR. An unset value is not flagged.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  PRIVILEGE_ESCALATION = 'container-privilege-escalation',

  /**
   * No container adds Linux capabilities (`securityContext.capabilities.add`).
   * Fails Pod Security "restricted" (which allows NET_BIND_SERVICE only). An
   * ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  ADDED_CAPABILITIES = 'container-added-capabilities',

  /**
   * The Pod does not set `hostNetwork: true` (the node's network namespace,
   * past NetworkPolicies). Fails Pod Security "baseline". An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
   */
  HOST_NETWORK = 'pod-host-network',

  /**
   * The Pod does not set `hostPID: true` (every process of the node). Fails
   * Pod Security "baseline". An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
   */
  HOST_PID = 'pod-host-pid',

  /**
   * The Pod does not set `hostIPC: true` (the node's IPC and shared memory).
   * Fails Pod Security "baseline". An ERROR.
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
   */
  HOST_IPC = 'pod-host-ipc',
}

/**
 * How serious a finding is.
 */
export enum PolicySeverity {
  /** The output is unsafe or unreliable as it stands; fix it before applying. */
  ERROR = 'error',
  /** A weakness worth fixing, which Kubernetes partly makes up for. */
  WARNING = 'warning',
}

/**
 * One finding of a {@link PolicyReport}.
 */
export interface PolicyFinding {
  /**
   * The object the finding is about: `Kind/name`, or `Kind/namespace/name`
   * when the object sets a namespace.
   */
  readonly object: string;

  /**
   * The container the finding is about.
   * @default - the finding is about the object as a whole
   */
  readonly container?: string;

  /** The rule that found it. */
  readonly rule: PolicyRule;

  /** How serious it is. */
  readonly severity: PolicySeverity;

  /** What is wrong, and how to fix it. */
  readonly message: string;
}
