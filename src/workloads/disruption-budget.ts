/**
 * How many Pods of a workload voluntary disruptions (node drains, upgrades)
 * may take down at once. Rendered as a PodDisruptionBudget.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export class DisruptionBudget {
  /** At most `count` Pods may be down at once. */
  public static maxUnavailable(count: number): DisruptionBudget {
    return new DisruptionBudget(undefined, count, true);
  }

  /** At least `count` Pods must stay up. */
  public static minAvailable(count: number): DisruptionBudget {
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
}
