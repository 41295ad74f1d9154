import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { KubernetesVersion } from '../pod/sidecar-mode';
import { got, ValidationError } from '../pod/validation-error';
import { assertIntegerAtLeast } from '../pod/validators';
import { assertVersionGate, UNHEALTHY_POD_EVICTION_GATE } from '../pod/version-gate';

/**
 * Which running but not ready Pods a node drain may evict.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export enum UnhealthyPodEvictionPolicy {
  /**
   * Unhealthy Pods are evicted only while the workload has enough healthy
   * Pods to meet the budget. A crash-looping Pod then blocks node drains.
   */
  IF_HEALTHY_BUDGET = 'IfHealthyBudget',

  /**
   * Unhealthy Pods may always be evicted, whatever the budget says; healthy
   * Pods still obey it. Recommended by the Kubernetes docs for most apps.
   */
  ALWAYS_ALLOW = 'AlwaysAllow',
}

/**
 * Options of `DisruptionBudget.maxUnavailable` and `minAvailable`.
 */
export interface DisruptionBudgetOptions {
  /**
   * Which running but not ready Pods a node drain may evict. Rendered as
   * `unhealthyPodEvictionPolicy`, which the library requires
   * `kubernetesVersion` 1.31 or later for (GA there); giving it for an older
   * version fails the synth.
   * @default - UnhealthyPodEvictionPolicy.ALWAYS_ALLOW from Kubernetes 1.31, so that a crash-looping Pod does not block node drains; not rendered below 1.31 (Kubernetes then behaves as IF_HEALTHY_BUDGET)
   * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
   */
  readonly unhealthyPodEvictionPolicy?: UnhealthyPodEvictionPolicy;
}

/**
 * How many Pods of a workload voluntary disruptions (node drains, upgrades)
 * may take down at once. Rendered as a PodDisruptionBudget.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export class DisruptionBudget {
  /** At most `count` Pods may be down at once. */
  public static maxUnavailable(count: number, options: DisruptionBudgetOptions = {}): DisruptionBudget {
    assertIntegerAtLeast('DisruptionBudget.maxUnavailable', 'count', count, 1,
      'use DisruptionBudget.maxUnavailable(1); 0 would block every voluntary eviction.');
    return new DisruptionBudget(undefined, count, true, evictionPolicyOf('DisruptionBudget.maxUnavailable', options));
  }

  /** At least `count` Pods must stay up. */
  public static minAvailable(count: number, options: DisruptionBudgetOptions = {}): DisruptionBudget {
    assertIntegerAtLeast('DisruptionBudget.minAvailable', 'count', count, 0, 'use a whole number of Pods, e.g. 1.');
    return new DisruptionBudget(count, undefined, true, evictionPolicyOf('DisruptionBudget.minAvailable', options));
  }

  /** No PodDisruptionBudget is rendered. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(undefined, undefined, false, undefined);
  }

  private constructor(
    /** Pods that must stay available, if set. */
    public readonly minAvailableCount: number | undefined,
    /** Pods that may be unavailable, if set. */
    public readonly maxUnavailableCount: number | undefined,
    /** Whether a PodDisruptionBudget is rendered. */
    public readonly enabled: boolean,
    /** The unhealthy Pod eviction policy given, if any (see `DisruptionBudgetOptions`). */
    public readonly unhealthyPodEvictionPolicy: UnhealthyPodEvictionPolicy | undefined) {}

  /**
   * @internal
   * Fails unless the budget lets at least one Pod of `replicas` be evicted
   * voluntarily. `replicasLabel` names the count in the message, e.g.
   * "replica count" or "minimum replica count".
   */
  public _assertAllowsEviction(scope: Construct, replicas: number, replicasLabel: string): void {
    if (!this.enabled) return;
    const min = this.minAvailableCount;
    if (min !== undefined && min >= replicas) {
      throw new ValidationError(scope,
        `disruptionBudget minAvailable ${min} is >= the ${replicasLabel} ${replicas}, which would block every voluntary eviction `
        + `(node drains and cluster upgrades hang). Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below ${replicas}.`);
    }
  }

  /**
   * @internal
   * Renders the budget for the Pods of `workload` as a PodDisruptionBudget
   * child `id` of `scope`, for Kubernetes `version`; undefined when the
   * budget is `none()`.
   */
  public _render(scope: Construct, id: string, workload: kplus.Workload,
    version: KubernetesVersion): kplus.k8s.KubePodDisruptionBudget | undefined {
    if (!this.enabled) return undefined;
    if (this.unhealthyPodEvictionPolicy !== undefined) assertVersionGate(scope, UNHEALTHY_POD_EVICTION_GATE, version);
    const supported = version.isAtLeast(UNHEALTHY_POD_EVICTION_GATE.minimum);
    const evictionPolicy = this.unhealthyPodEvictionPolicy ?? (supported ? UnhealthyPodEvictionPolicy.ALWAYS_ALLOW : undefined);
    const count = (n?: number) => (n === undefined ? undefined : kplus.k8s.IntOrString.fromNumber(n));
    return new kplus.k8s.KubePodDisruptionBudget(scope, id, {
      spec: {
        minAvailable: count(this.minAvailableCount),
        maxUnavailable: count(this.maxUnavailableCount),
        selector: Lazy.any({ produce: () => ({ matchLabels: workload.matchLabels }) }),
        unhealthyPodEvictionPolicy: evictionPolicy,
      },
    });
  }
}

/** The policy of `options`, checked to be one of the enum's values. */
function evictionPolicyOf(subject: string, options: DisruptionBudgetOptions): UnhealthyPodEvictionPolicy | undefined {
  const policy = options?.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !Object.values(UnhealthyPodEvictionPolicy).includes(policy)) {
    throw new ValidationError(subject, `unhealthyPodEvictionPolicy must be an UnhealthyPodEvictionPolicy (got ${got(policy)}). `
      + 'Fix: use UnhealthyPodEvictionPolicy.ALWAYS_ALLOW or UnhealthyPodEvictionPolicy.IF_HEALTHY_BUDGET.');
  }
  return policy;
}
