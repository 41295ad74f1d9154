import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../pod/validation-error';
import { assertIntegerAtLeast } from '../pod/validators';

/**
 * How many Pods of a workload voluntary disruptions (node drains, upgrades)
 * may take down at once. Rendered as a PodDisruptionBudget.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export class DisruptionBudget {
  /** At most `count` Pods may be down at once. */
  public static maxUnavailable(count: number): DisruptionBudget {
    assertIntegerAtLeast('DisruptionBudget.maxUnavailable', 'count', count, 1,
      'use DisruptionBudget.maxUnavailable(1); 0 would block every voluntary eviction.');
    return new DisruptionBudget(undefined, count, true);
  }

  /** At least `count` Pods must stay up. */
  public static minAvailable(count: number): DisruptionBudget {
    assertIntegerAtLeast('DisruptionBudget.minAvailable', 'count', count, 0, 'use a whole number of Pods, e.g. 1.');
    return new DisruptionBudget(count, undefined, true);
  }

  /** No PodDisruptionBudget is rendered. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(undefined, undefined, false);
  }

  private constructor(
    /** Pods that must stay available, if set. */
    public readonly minAvailableCount: number | undefined,
    /** Pods that may be unavailable, if set. */
    public readonly maxUnavailableCount: number | undefined,
    /** Whether a PodDisruptionBudget is rendered. */
    public readonly enabled: boolean) {}

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
   * child `id` of `scope`; undefined when the budget is `none()`.
   */
  public _render(scope: Construct, id: string, workload: kplus.Workload): kplus.k8s.KubePodDisruptionBudget | undefined {
    if (!this.enabled) return undefined;
    const count = (n?: number) => (n === undefined ? undefined : kplus.k8s.IntOrString.fromNumber(n));
    return new kplus.k8s.KubePodDisruptionBudget(scope, id, {
      spec: {
        minAvailable: count(this.minAvailableCount),
        maxUnavailable: count(this.maxUnavailableCount),
        selector: Lazy.any({ produce: () => ({ matchLabels: workload.matchLabels }) }),
      },
    });
  }
}
