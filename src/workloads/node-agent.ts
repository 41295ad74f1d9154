import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { nameProps, workloadObjectName } from './object-names';
import { PatternWorkload, PatternWorkloadProps, POD_TEMPLATE_PATH } from './workload-base';
import { WorkloadKind } from '../pod/pattern';
import { PodSecurityException } from '../pod/pod-security-exception';
import { ResourcePreset } from '../pod/resource-preset';
import { sensitiveHostPath } from '../pod/security-overrides';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel } from '../pod/validators';
import { VolumeSource } from '../pod/volume-sources';

/**
 * A directory or file of the node, mounted into the agent's main container:
 * read-only, unless `writable` (with the agent's `allowWritableHostPaths`).
 */
export interface HostPathMount {
  /** Absolute path on the node, e.g. "/var/log/pods". */
  readonly path: string;

  /** Absolute path inside the main container. */
  readonly mountPath: string;

  /**
   * What must exist at `path`.
   * @default kplus.HostPathVolumeType.DIRECTORY - the directory must exist; nothing is created on the node
   */
  readonly type?: kplus.HostPathVolumeType;

  /**
   * Name of the Pod volume.
   * @default - "host" followed by the path's segments, e.g. "host-var-log-pods"
   */
  readonly name?: string;

  /**
   * Mount the node path writable, for an agent that must write to the node
   * (a device, a node-local cache). Needs `allowWritableHostPaths` on the
   * agent.
   * @default false - read-only
   */
  readonly writable?: boolean;
}

/**
 * Options of `NodeAgentUpdateStrategy.rollingUpdate`.
 */
export interface NodeAgentRollingUpdateOptions {
  /**
   * How many nodes may be without a Ready agent during the update.
   * @default kplus.PercentOrAbsolute.absolute(1)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;

  /**
   * How many nodes may briefly run the old and the new agent side by side.
   * Must be 0 when `maxUnavailable` is not.
   * @default kplus.PercentOrAbsolute.absolute(0)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
}

/**
 * How a node agent rolls out a new Pod template.
 *
 * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
 */
export class NodeAgentUpdateStrategy {
  /** Replace the agents node by node, a bounded number at a time. */
  public static rollingUpdate(options: NodeAgentRollingUpdateOptions = {}): NodeAgentUpdateStrategy {
    return new NodeAgentUpdateStrategy('RollingUpdate',
      options.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(1),
      options.maxSurge ?? kplus.PercentOrAbsolute.absolute(0));
  }

  /** Replace an agent only when you delete its Pod. */
  public static onDelete(): NodeAgentUpdateStrategy {
    return new NodeAgentUpdateStrategy('OnDelete');
  }

  private constructor(
    /** The Kubernetes strategy type: "RollingUpdate" or "OnDelete". */
    public readonly type: string,
    private readonly maxUnavailable?: kplus.PercentOrAbsolute,
    private readonly maxSurge?: kplus.PercentOrAbsolute) {}

  /** @internal */
  public _render(scope: Construct): any {
    if (this.type !== 'RollingUpdate') return { type: this.type };
    const unavailable = this.maxUnavailable!;
    const surge = this.maxSurge!;
    for (const [what, v] of [['maxUnavailable', unavailable], ['maxSurge', surge]] as const) {
      const n = typeof v.value === 'string' ? Number(v.value.replace(/%$/, '')) : v.value;
      if (!Number.isInteger(n) || n < 0 || (typeof v.value === 'string' && n > 100)) {
        throw new ValidationError(scope, `updateStrategy ${what} must be a whole number or percentage >= 0 (got ${got(v.value)}). `
          + 'Fix: use e.g. kplus.PercentOrAbsolute.absolute(1) or kplus.PercentOrAbsolute.percent(25).');
      }
    }
    if (unavailable.isZero() === surge.isZero()) {
      throw new ValidationError(scope,
        `updateStrategy needs exactly one of maxUnavailable and maxSurge above 0 (got maxUnavailable ${got(unavailable.value)}, `
        + `maxSurge ${got(surge.value)}); Kubernetes rejects any other combination. Fix: use maxUnavailable 1 (replace in place) `
        + 'or maxUnavailable 0 with maxSurge 1 (start the new agent before stopping the old one).');
    }
    // L1 values: the DaemonSet's L1 class renders IntOrString, not plain numbers
    const intOrString = (v: kplus.PercentOrAbsolute) => (typeof v.value === 'string'
      ? kplus.k8s.IntOrString.fromString(v.value) : kplus.k8s.IntOrString.fromNumber(v.value));
    return { rollingUpdate: { maxSurge: intOrString(surge), maxUnavailable: intOrString(unavailable) }, type: this.type };
  }
}

/**
 * Props of a {@link NodeAgent}.
 */
export interface NodeAgentProps extends PatternWorkloadProps {
  /**
   * Node paths the main container reads, always mounted read-only.
   * hostPath volumes are the one exception this library makes to the Pod
   * Security Standards "restricted" profile, so they need `allowHostPaths`.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
   */
  readonly hostPaths?: HostPathMount[];

  /**
   * Explicit consent to mount node paths. The Pods then no longer meet the
   * "baseline" or "restricted" Pod Security Standards, so the namespace they
   * run in must allow it (usually a dedicated namespace for node agents).
   * @default false
   */
  readonly allowHostPaths?: boolean;

  /**
   * Explicit consent to mount the `hostPaths` marked `writable` writable.
   * Beyond what `allowHostPaths` accepts (the Pods fail the "baseline" and
   * "restricted" Pod Security Standards), the agent can then change the
   * node's files under those paths on every node it runs on: a compromised
   * or faulty agent can corrupt or plant files there that the node, and
   * every other Pod using those paths, will trust. The DaemonSet lists the
   * writable paths in the `WRITABLE_HOST_PATHS_ANNOTATION` annotation for
   * reviews and policy checks.
   * @default false
   */
  readonly allowWritableHostPaths?: boolean;

  /**
   * Node taints the agent tolerates. An empty list tolerates none, so the
   * agent skips tainted nodes.
   * @default [kplus.NodeTaintQuery.any()] - tolerate every taint (`operator: Exists`), so the agent runs on every node, control plane and dedicated pools included
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: kplus.NodeTaintQuery[];

  /**
   * How a new Pod template is rolled out.
   * @default NodeAgentUpdateStrategy.rollingUpdate() - one node at a time (maxUnavailable 1, maxSurge 0)
   */
  readonly updateStrategy?: NodeAgentUpdateStrategy;
}

/**
 * A node agent: a DaemonSet that runs one Pod per node, for node-level log
 * shippers and metrics collectors.
 *
 * It reads node paths only through declared `hostPaths`, read-only unless a
 * path is marked `writable` with the explicit `allowWritableHostPaths`, and
 * by default tolerates every taint so that no node goes unobserved.
 */
export class NodeAgent extends PatternWorkload {
  /**
   * Annotation on the DaemonSet listing the node paths it mounts
   * (comma-separated), so that reviews and policy checks can tell declared,
   * read-only node paths from any other hostPath volume.
   */
  public static readonly HOST_PATHS_ANNOTATION = 'container-patterns.cdk8s.io/host-paths';

  /**
   * Annotation on the DaemonSet listing the node paths it mounts writable
   * (comma-separated), present only when there are any.
   */
  public static readonly WRITABLE_HOST_PATHS_ANNOTATION = 'container-patterns.cdk8s.io/writable-host-paths';

  /** The DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;

  private readonly hostPathVolumes = new Set<kplus.Volume>();
  private readonly writableHostPathVolumes = new Set<kplus.Volume>();

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id, props);
    const hostPaths = props.hostPaths ?? [];
    if (hostPaths.length > 0 && !props.allowHostPaths) {
      throw new ValidationError(this,
        `hostPaths ${got(hostPaths.map(h => h.path))} mount node directories, which the Pod Security Standards "baseline" and `
        + '"restricted" profiles forbid. Fix: set allowHostPaths: true to accept that (the mounts are read-only), and run the '
        + 'agent in a namespace whose Pod Security admission allows it.');
    }
    const writable = hostPaths.filter(h => h.writable);
    if (writable.length > 0 && !props.allowWritableHostPaths) {
      throw new ValidationError(this,
        `hostPaths ${got(writable.map(h => h.path))} are marked writable, which lets the agent change the files of every node it `
        + 'runs on under those paths. Fix: set allowWritableHostPaths: true to accept that, or drop writable to mount them read-only.');
    }
    if (writable.length === 0 && props.allowWritableHostPaths) {
      throw new ValidationError(this,
        `allowWritableHostPaths is set, but no hostPath is marked writable (got hostPaths ${got(hostPaths.map(h => h.path))}). `
        + 'Fix: drop allowWritableHostPaths, or mark the path the agent writes with writable: true.');
    }
    const updateStrategy = props.updateStrategy ?? NodeAgentUpdateStrategy.rollingUpdate();
    const rendered = updateStrategy._render(this);

    this.daemonSet = new kplus.DaemonSet(this, 'Resource', {
      ...nameProps(workloadObjectName(this, props.name)),
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      securityContext: props.podSecurityContext,
    });
    this._setup(props, WorkloadKind.DAEMON_SET, this.daemonSet, POD_TEMPLATE_PATH, ResourcePreset.NANO);

    const tolerations = props.tolerations ?? [kplus.NodeTaintQuery.any()];
    if (tolerations.length > 0) this.daemonSet.scheduling.tolerate(kplus.Node.tainted(...tolerations));

    const names = new Set<string>();
    for (const h of hostPaths) {
      assertAbsolutePath(this, 'hostPaths path', h.path);
      assertAbsolutePath(this, `mountPath of host path "${h.path}"`, h.mountPath);
      const danger = sensitiveHostPath(h.path);
      if (danger && !this.securityExceptions.includes(PodSecurityException.SENSITIVE_HOST_PATH)) {
        throw new ValidationError(this,
          `host path ${got(h.path)} ${danger}. Fix: mount only the directories the agent reads (e.g. "/var/log/pods"), or accept `
          + 'that the agent controls the node with securityExceptions: [PodSecurityException.SENSITIVE_HOST_PATH].');
      }
      const name = h.name ?? defaultVolumeName(h.path);
      assertDnsLabel(this, `volume name of host path "${h.path}"`, name);
      if (names.has(name)) {
        throw new ValidationError(this,
          `two hostPaths share the volume name "${name}" (the second is ${got(h.path)}). Fix: give one of them a distinct name.`);
      }
      names.add(name);
      const volume = kplus.Volume.fromHostPath(this, `HostPath-${name}`, name, {
        path: h.path,
        type: h.type ?? kplus.HostPathVolumeType.DIRECTORY,
      });
      this._composition.recordVolumeSource(volume, VolumeSource.HOST_PATH);
      this.hostPathVolumes.add(volume);
      if (h.writable) this.writableHostPathVolumes.add(volume);
      this.mainContainer.mount(h.mountPath, volume, { readOnly: !h.writable });
    }

    if (hostPaths.length > 0) {
      this.daemonSet.metadata.addAnnotation(NodeAgent.HOST_PATHS_ANNOTATION, hostPaths.map(h => h.path).join(','));
    }
    if (writable.length > 0) {
      this.daemonSet.metadata.addAnnotation(NodeAgent.WRITABLE_HOST_PATHS_ANNOTATION, writable.map(h => h.path).join(','));
    }
    // part of the 1.27 DaemonSet schema, which cdk8s-plus-27 does not expose
    this._composition.setL1Field('/spec/updateStrategy', rendered);
    this._attachInitialPatterns(props.patterns);
  }

  /** @internal hostPath volumes may only come from `hostPaths`, and only ever be mounted read-only. */
  protected _kindProblems(): string[] {
    const errors: string[] = [];
    const sources = new Map(this._composition.volumeSources().map(v => [v.volume, v.source]));
    for (const c of [...this.daemonSet.initContainers, ...this.daemonSet.containers]) {
      for (const m of c.mounts) {
        const source = sources.get(m.volume);
        if (source === undefined) {
          errors.push(`container "${c.name}" mounts volume "${m.volume.name}" at "${m.path}", whose source cannot be read from the `
            + 'rendered Pod spec, so it cannot be checked for node paths. Fix: declare node paths with hostPaths, and mount '
            + 'other volumes through the library (writablePaths, MountedConfig, patterns).');
        } else if (source !== VolumeSource.HOST_PATH) {
          continue;
        } else if (!this.hostPathVolumes.has(m.volume)) {
          errors.push(`container "${c.name}" mounts hostPath volume "${m.volume.name}" at "${m.path}", which was not declared in `
            + 'hostPaths. Fix: declare node paths with hostPaths (and allowHostPaths: true), so they are reviewed and read-only.');
        } else if (!m.readOnly && !this.writableHostPathVolumes.has(m.volume)) {
          errors.push(`container "${c.name}" mounts hostPath volume "${m.volume.name}" at "${m.path}" writable, but its host path `
            + 'is not marked writable. Fix: mount it with readOnly: true, or mark the host path writable (with allowWritableHostPaths).');
        }
      }
    }
    return errors;
  }
}

function defaultVolumeName(path: string): string {
  const segments = path.toLowerCase().split('/').map(s => s.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')).filter(s => s);
  return ['host', ...segments].join('-').slice(0, 63).replace(/-+$/, '');
}
