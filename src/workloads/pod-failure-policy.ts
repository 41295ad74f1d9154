import { got, ValidationError } from '../pod/validation-error';
import { assertDnsLabel } from '../pod/validators';

/**
 * What the Job controller does with a failed Pod that a `PodFailureRule`
 * matches.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export enum PodFailureAction {
  /** Fail the whole Job at once and stop its running Pods; no more retries. */
  FAIL_JOB = 'FailJob',
  /** Fail only the Pod's index (indexed Jobs with `backoffLimitPerIndex`). */
  FAIL_INDEX = 'FailIndex',
  /** Do not count the failure against `backoffLimit`; a replacement Pod is started. */
  IGNORE = 'Ignore',
  /** Count the failure against `backoffLimit`, as without a rule. */
  COUNT = 'Count',
}

/**
 * How a rule compares a container's exit code with its values.
 */
export enum ExitCodeOperator {
  /** The exit code is one of the values (0 is not allowed). */
  IN = 'In',
  /** The exit code is none of the values. */
  NOT_IN = 'NotIn',
}

/**
 * Options of `PodFailureRule.onExitCodes`.
 */
export interface ExitCodeRuleOptions {
  /**
   * The exit codes, 0 to 255 each, at most 255 of them, each once. Rendered
   * in ascending order, as Kubernetes requires.
   */
  readonly values: number[];

  /**
   * How the exit code is compared with `values`.
   * @default ExitCodeOperator.IN
   */
  readonly operator?: ExitCodeOperator;

  /**
   * Only the exit code of this container counts.
   * @default - any container of the Pod
   */
  readonly containerName?: string;
}

/** The Pod condition Kubernetes sets on a Pod it stops for a disruption (preemption, eviction, a node drain, taints). */
const DISRUPTION_TARGET = 'DisruptionTarget';

/**
 * One rule of a Job's `podFailurePolicy`: the first rule that matches a
 * failed Pod decides what the Job controller does with it. Requires
 * Kubernetes 1.31 or later and `restartPolicy` NEVER.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export class PodFailureRule {
  /**
   * Pods stopped by a disruption (preemption, API-initiated eviction, a node
   * drain or a taint) are not counted against `backoffLimit`: the rule
   * `Ignore` on the Pod condition `DisruptionTarget`.
   */
  public static ignoreDisruptions(): PodFailureRule {
    return new PodFailureRule(PodFailureAction.IGNORE, { onPodConditions: [{ type: DISRUPTION_TARGET, status: 'True' }] });
  }

  /**
   * A rule on the exit codes of the Pod's containers, e.g. fail the Job at
   * once on exit code 42, which the app uses for a bug no retry fixes.
   */
  public static onExitCodes(action: PodFailureAction, options: ExitCodeRuleOptions): PodFailureRule {
    const subject = 'PodFailureRule.onExitCodes';
    assertAction(subject, action);
    const operator = options?.operator ?? ExitCodeOperator.IN;
    if (!Object.values(ExitCodeOperator).includes(operator)) {
      throw new ValidationError(subject, `operator must be an ExitCodeOperator (got ${got(operator)}). `
        + 'Fix: use ExitCodeOperator.IN or ExitCodeOperator.NOT_IN.');
    }
    const values = [...(options?.values ?? [])];
    if (values.length === 0 || values.length > 255) {
      throw new ValidationError(subject, `values must list 1 to 255 exit codes (got ${got(options?.values)}). `
        + 'Fix: list the exit codes the rule matches, e.g. values: [42].');
    }
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0 || v > 255) {
        throw new ValidationError(subject, `exit code must be an integer from 0 to 255 (got ${got(v)}). Fix: use the code the process exits with.`);
      }
    }
    if (new Set(values).size !== values.length) {
      throw new ValidationError(subject, `values lists an exit code twice (got ${got(values)}). Fix: list each exit code once.`);
    }
    if (operator === ExitCodeOperator.IN && values.includes(0)) {
      throw new ValidationError(subject, `values with operator IN must not contain 0, the exit code of success (got ${got(values)}). `
        + 'Fix: remove 0; to match every failure, use operator NOT_IN with values [0].');
    }
    if (options.containerName !== undefined) assertDnsLabel(subject, 'containerName', options.containerName);
    const onExitCodes: any = { operator, values: values.sort((a, b) => a - b) };
    if (options.containerName !== undefined) onExitCodes.containerName = options.containerName;
    return new PodFailureRule(action, { onExitCodes });
  }

  /**
   * A rule on a Pod condition whose status is True, e.g. `DisruptionTarget`
   * (see `ignoreDisruptions`) or a condition your own controller sets.
   * @param conditionType a Pod condition type, e.g. "DisruptionTarget"
   */
  public static onPodCondition(action: PodFailureAction, conditionType: string): PodFailureRule {
    const subject = 'PodFailureRule.onPodCondition';
    assertAction(subject, action);
    if (typeof conditionType !== 'string' || !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(conditionType)) {
      throw new ValidationError(subject, `conditionType must be a Pod condition type such as "DisruptionTarget" (got ${got(conditionType)}). `
        + 'Fix: use a qualified name: letters, digits, "-", "_" and ".", optionally after a DNS prefix and "/".');
    }
    return new PodFailureRule(action, { onPodConditions: [{ type: conditionType, status: 'True' }] });
  }

  private constructor(
    /** What the Job controller does with a failed Pod the rule matches. */
    public readonly action: PodFailureAction,
    private readonly match: { readonly onExitCodes?: unknown; readonly onPodConditions?: unknown }) {}

  /** @internal the rule as rendered in `podFailurePolicy.rules` */
  public _toJson(): any {
    return { action: this.action, ...JSON.parse(JSON.stringify(this.match)) };
  }
}

function assertAction(subject: string, action: PodFailureAction): void {
  if (!Object.values(PodFailureAction).includes(action)) {
    throw new ValidationError(subject, `action must be a PodFailureAction (got ${got(action)}). `
      + 'Fix: use PodFailureAction.FAIL_JOB, FAIL_INDEX, IGNORE or COUNT.');
  }
}
