import { ApiObject, Cron, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { cronProblem } from './cron-expression';
import { CRON_JOB_NAME_LIMIT, JOB_NAME_LIMIT, nameProps, workloadObjectName } from './object-names';
import { PodFailureAction, PodFailureRule } from './pod-failure-policy';
import { PatternWorkload, PatternWorkloadProps, POD_TEMPLATE_PATH } from './workload-base';
import { PodComposition } from '../pod/composition';
import { WorkloadKind } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertWholeSeconds } from '../pod/validators';
import { assertVersionGate, BACKOFF_LIMIT_PER_INDEX_GATE, POD_FAILURE_POLICY_GATE } from '../pod/version-gate';

/**
 * What the kubelet does when a container of a task's Pod fails.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures
 */
export enum TaskRestartPolicy {
  /** Fail the Pod; the Job controller starts a new Pod (up to `backoffLimit`). */
  NEVER = 'Never',
  /** Restart the failed container in the same Pod. */
  ON_FAILURE = 'OnFailure',
}

/**
 * How the Job counts its completions.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
 */
export enum TaskCompletionMode {
  /** The Job is complete after `completions` successful Pods, whichever they were. */
  NON_INDEXED = 'NonIndexed',
  /**
   * Every Pod gets an index from 0 to `completions - 1` (env var
   * `JOB_COMPLETION_INDEX`); the Job is complete when every index succeeded.
   */
  INDEXED = 'Indexed',
}

/**
 * Props of a {@link BatchTask}, and the Job settings of a
 * {@link ScheduledTask}.
 */
export interface BatchTaskProps extends PatternWorkloadProps {
  /**
   * How many Pods must complete successfully for the Job to complete.
   * @default 1
   */
  readonly completions?: number;

  /**
   * How many Pods may run at once. At most `completions`.
   * @default 1
   */
  readonly parallelism?: number;

  /**
   * Retries before the Job is marked failed.
   * @default 6
   */
  readonly backoffLimit?: number;

  /**
   * How long the Job may run, retries included, before it is stopped and
   * marked failed.
   * @default - no deadline
   */
  readonly activeDeadline?: Duration;

  /**
   * Delete the finished Job (and its Pods) this long after it finished.
   * @default - finished Jobs are kept until deleted
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * What happens when a container fails.
   * @default TaskRestartPolicy.NEVER
   */
  readonly restartPolicy?: TaskRestartPolicy;

  /**
   * How the Job counts its completions.
   * @default TaskCompletionMode.NON_INDEXED
   */
  readonly completionMode?: TaskCompletionMode;

  /**
   * Rules that decide, per failed Pod, whether to fail the Job at once,
   * fail the Pod's index, ignore the failure or count it (e.g.
   * `PodFailureRule.ignoreDisruptions()`, so node drains do not use up
   * retries). The first matching rule wins. Needs `kubernetesVersion` 1.31
   * or later (GA there) and `restartPolicy` NEVER; at most 20 rules.
   * @default - none: every failed Pod counts against `backoffLimit`
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
   */
  readonly podFailurePolicy?: PodFailureRule[];

  /**
   * Retries per index of an indexed Job: an index that failed this many
   * times more is marked failed while the other indexes go on. Needs
   * `completionMode` INDEXED and `kubernetesVersion` 1.33 or later (GA
   * there). With it, `backoffLimit` is not rendered unless given.
   * @default - not rendered: the Job's `backoffLimit` counts the failures of all indexes together
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index
   */
  readonly backoffLimitPerIndex?: number;

  /**
   * With `backoffLimitPerIndex`: the Job fails once more than this many
   * indexes failed.
   * @default - not rendered: every index runs until it succeeds or uses up its retries
   */
  readonly maxFailedIndexes?: number;
}

/**
 * A run-to-completion task: a Job.
 *
 * Sidecars must be native (`SidecarMode.NATIVE`, Kubernetes >= 1.29); a
 * classic sidecar never exits, so the Job would never complete, and is
 * refused.
 */
export class BatchTask extends PatternWorkload {
  /** The Job. */
  public readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: BatchTaskProps) {
    super(scope, id, props);
    validateJobProps(this, props);
    validateFailureProps(this, props);
    this.job = new kplus.Job(this, 'Resource', {
      ...jobProps(props),
      ...nameProps(workloadObjectName(this, props.name, JOB_NAME_LIMIT)),
    });
    this._setup(props, WorkloadKind.JOB, this.job, POD_TEMPLATE_PATH);
    setJobCounts(this._composition, '/spec', props);
    setFailureFields(this._composition, '/spec', props);
    this._attachInitialPatterns(props.patterns);
  }
}

/**
 * Props of a {@link ScheduledTask}.
 */
export interface ScheduledTaskProps extends BatchTaskProps {
  /**
   * When to start a Job.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
   */
  readonly schedule: Cron;

  /**
   * The time zone of `schedule`, an IANA name such as "Europe/Berlin".
   * @default - the time zone of the kube-controller-manager (usually UTC)
   */
  readonly timeZone?: string;

  /**
   * What to do when a Job is due while the previous one still runs.
   * @default kplus.ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;

  /**
   * How late a missed Job may still be started. At least 10 seconds, the
   * period at which the CronJob controller checks schedules.
   * @default Duration.seconds(10)
   */
  readonly startingDeadline?: Duration;

  /**
   * Render no `startingDeadlineSeconds`, so a missed Job is started however
   * late it is; the CronJob controller then gives up on a schedule only once
   * more than 100 runs were missed. For jobs that must run even after a long
   * controller outage. Excludes `startingDeadline`.
   * @default false - `startingDeadlineSeconds` is rendered (`startingDeadline`, 10 seconds by default)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation
   */
  readonly noStartingDeadline?: boolean;

  /**
   * Suspend the schedule; running Jobs are not affected.
   * @default false
   */
  readonly suspend?: boolean;

  /**
   * Successful Jobs kept for inspection.
   * @default 3
   */
  readonly successfulJobsRetained?: number;

  /**
   * Failed Jobs kept for inspection.
   * @default 1
   */
  readonly failedJobsRetained?: number;
}

/**
 * A scheduled run-to-completion task: a CronJob.
 *
 * Like a `BatchTask`, it refuses classic sidecars.
 */
export class ScheduledTask extends PatternWorkload {
  /** The CronJob. */
  public readonly cronJob: kplus.CronJob;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id, props);
    validateJobProps(this, props);
    validateFailureProps(this, props);
    validateScheduleProps(this, props);
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      ...nameProps(workloadObjectName(this, props.name, CRON_JOB_NAME_LIMIT)),
      schedule: props.schedule,
      timeZone: props.timeZone,
      concurrencyPolicy: props.concurrencyPolicy,
      startingDeadline: props.startingDeadline,
      suspend: props.suspend,
      successfulJobsRetained: props.successfulJobsRetained,
      failedJobsRetained: props.failedJobsRetained,
      ...jobProps(props),
    });
    if (props.noStartingDeadline) {
      // cdk8s-plus always renders a deadline (10 seconds by default): remove it from the L1 object
      ApiObject.of(this.cronJob).addJsonPatch(JsonPatch.remove('/spec/startingDeadlineSeconds'));
    }
    this._setup(props, WorkloadKind.CRON_JOB, this.cronJob, ['spec', 'jobTemplate', 'spec', 'template']);
    setJobCounts(this._composition, '/spec/jobTemplate/spec', props);
    setFailureFields(this._composition, '/spec/jobTemplate/spec', props);
    this._attachInitialPatterns(props.patterns);
  }
}

/** The Job settings a BatchTask and the Jobs of a ScheduledTask share. */
function jobProps(props: BatchTaskProps): kplus.JobProps {
  return {
    // a per-index limit replaces the Job-wide default (Kubernetes then defaults backoffLimit to the int32 maximum)
    backoffLimit: props.backoffLimit ?? (props.backoffLimitPerIndex === undefined ? 6 : undefined),
    activeDeadline: props.activeDeadline,
    ttlAfterFinished: props.ttlAfterFinished,
    restartPolicy: restartPolicyOf(props),
    serviceAccount: props.serviceAccount,
    automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    securityContext: props.podSecurityContext,
  };
}

function restartPolicyOf(props: BatchTaskProps): kplus.RestartPolicy {
  return props.restartPolicy === TaskRestartPolicy.ON_FAILURE ? kplus.RestartPolicy.ON_FAILURE : kplus.RestartPolicy.NEVER;
}

/**
 * Completions and parallelism: part of the 1.27 Job schema, which
 * cdk8s-plus-27 does not expose, so they are set on the L1 object.
 */
function setJobCounts(composition: PodComposition, specPointer: string, props: BatchTaskProps): void {
  composition.setL1Field(`${specPointer}/completions`, props.completions ?? 1);
  composition.setL1Field(`${specPointer}/parallelism`, props.parallelism ?? 1);
}

/**
 * The failure handling of the Job: `completionMode` and `podFailurePolicy`
 * are part of the 1.27 Job schema (set on the L1 object); `backoffLimitPerIndex`
 * and `maxFailedIndexes` are not, and go through the render pipeline.
 */
function setFailureFields(composition: PodComposition, specPointer: string, props: BatchTaskProps): void {
  if (props.completionMode !== undefined) composition.setL1Field(`${specPointer}/completionMode`, props.completionMode);
  if (props.podFailurePolicy !== undefined) {
    composition.setL1Field(`${specPointer}/podFailurePolicy`, { rules: props.podFailurePolicy.map(r => r._toJson()) });
  }
  if (props.backoffLimitPerIndex !== undefined) composition.setSpecField('backoffLimitPerIndex', props.backoffLimitPerIndex);
  if (props.maxFailedIndexes !== undefined) composition.setSpecField('maxFailedIndexes', props.maxFailedIndexes);
}

function validateFailureProps(scope: PatternWorkload, props: BatchTaskProps): void {
  const fail = (msg: string): never => { throw new ValidationError(scope, msg); };
  const version = scope.kubernetesVersion;
  if (props.completionMode !== undefined && !Object.values(TaskCompletionMode).includes(props.completionMode)) {
    fail(`completionMode must be a TaskCompletionMode (got ${got(props.completionMode)}). Fix: use TaskCompletionMode.INDEXED or NON_INDEXED.`);
  }
  const rules = props.podFailurePolicy;
  if (rules !== undefined) {
    assertVersionGate(scope, POD_FAILURE_POLICY_GATE, version);
    if (!Array.isArray(rules) || rules.length === 0 || rules.length > 20 || rules.some(r => !(r instanceof PodFailureRule))) {
      fail(`podFailurePolicy must list 1 to 20 rules made with PodFailureRule (got ${got(rules)}). `
        + 'Fix: e.g. podFailurePolicy: [PodFailureRule.ignoreDisruptions()].');
    }
    if (props.restartPolicy === TaskRestartPolicy.ON_FAILURE) {
      fail('podFailurePolicy needs restartPolicy NEVER (got ON_FAILURE): with OnFailure the kubelet restarts a failed container '
        + 'in place, so the Job controller never sees a failed Pod to apply the rules to. Fix: drop restartPolicy or drop podFailurePolicy.');
    }
    if (props.backoffLimitPerIndex === undefined && rules.some(r => r.action === PodFailureAction.FAIL_INDEX)) {
      fail('podFailurePolicy has a FAIL_INDEX rule, which only applies to indexed Jobs with backoffLimitPerIndex (got backoffLimitPerIndex '
        + 'undefined). Fix: set completionMode: TaskCompletionMode.INDEXED and backoffLimitPerIndex, or use FAIL_JOB.');
    }
  }
  const perIndex = props.backoffLimitPerIndex;
  if (perIndex !== undefined) {
    assertVersionGate(scope, BACKOFF_LIMIT_PER_INDEX_GATE, version);
    if (!Number.isInteger(perIndex) || perIndex < 0) {
      fail(`backoffLimitPerIndex must be an integer >= 0 (got ${got(perIndex)}). Fix: use the retries each index may take, e.g. 2.`);
    }
    if (props.completionMode !== TaskCompletionMode.INDEXED) {
      fail(`backoffLimitPerIndex only applies to indexed Jobs (got completionMode ${got(props.completionMode)}). `
        + 'Fix: set completionMode: TaskCompletionMode.INDEXED.');
    }
  }
  const maxFailed = props.maxFailedIndexes;
  if (maxFailed !== undefined) {
    if (perIndex === undefined) {
      fail(`maxFailedIndexes (${got(maxFailed)}) only applies with backoffLimitPerIndex (got undefined). Fix: set backoffLimitPerIndex too.`);
    }
    const completions = props.completions ?? 1;
    if (!Number.isInteger(maxFailed) || maxFailed < 0 || maxFailed > completions) {
      fail(`maxFailedIndexes must be an integer from 0 to completions (${completions}) (got ${got(maxFailed)}). `
        + 'Fix: use how many indexes may fail before the whole Job fails.');
    }
  }
}

function validateJobProps(scope: Construct, props: BatchTaskProps): void {
  const fail = (msg: string): never => { throw new ValidationError(scope, msg); };
  const completions = props.completions ?? 1;
  const parallelism = props.parallelism ?? 1;
  if (!Number.isInteger(completions) || completions < 1) {
    fail(`completions must be an integer >= 1 (got ${got(props.completions)}). Fix: use the number of successful Pods the task needs, e.g. 1.`);
  }
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    fail(`parallelism must be an integer >= 1 (got ${got(props.parallelism)}). Fix: to hold a task back, suspend it instead.`);
  }
  if (parallelism > completions) {
    fail(`parallelism (${parallelism}) is above completions (${completions}); Kubernetes would never run more than `
      + `${completions} Pods at once. Fix: lower parallelism or raise completions.`);
  }
  if (props.backoffLimit !== undefined && (!Number.isInteger(props.backoffLimit) || props.backoffLimit < 0)) {
    fail(`backoffLimit must be an integer >= 0 (got ${got(props.backoffLimit)}). Fix: use the number of retries, e.g. 6; 0 never retries.`);
  }
  if (props.activeDeadline !== undefined) {
    assertWholeSeconds(scope, 'activeDeadline', props.activeDeadline, 1, 'use e.g. Duration.minutes(30).');
  }
  if (props.ttlAfterFinished !== undefined) {
    assertWholeSeconds(scope, 'ttlAfterFinished', props.ttlAfterFinished, 0,
      'use e.g. Duration.hours(1); Duration.seconds(0) deletes the Job as soon as it finishes.');
  }
}

function validateScheduleProps(scope: Construct, props: ScheduledTaskProps): void {
  const fail = (msg: string): never => { throw new ValidationError(scope, msg); };
  if (!props.schedule) {
    fail('schedule is required (got none). Fix: pass e.g. Cron.daily() or Cron.schedule({ minute: "0", hour: "3" }).');
  }
  const expression = props.schedule.expressionString;
  const cron = typeof expression === 'string' ? cronProblem(expression) : 'is not a string';
  if (cron) {
    fail(`schedule ${got(expression)} is not a schedule Kubernetes accepts: ${cron}. Fix: use the 5-field cron syntax with values `
      + 'in range (e.g. Cron.schedule({ minute: "*/5" }) for every 5 minutes), or one of the macros @hourly, @daily, @weekly, '
      + '@monthly, @yearly.');
  }
  if (props.startingDeadline !== undefined && props.startingDeadline.toSeconds() < 10) {
    fail(`startingDeadline must be at least 10 seconds (got ${props.startingDeadline.toSeconds()} seconds): the CronJob `
      + 'controller checks schedules every 10 seconds, so a shorter deadline can miss runs. Fix: use Duration.seconds(10) or more.');
  }
  if (props.noStartingDeadline && props.startingDeadline !== undefined) {
    fail(`noStartingDeadline contradicts startingDeadline (got ${props.startingDeadline.toSeconds()} seconds). Fix: drop one of them.`);
  }
  if (props.timeZone !== undefined) {
    let valid = true;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: props.timeZone });
    } catch {
      valid = false;
    }
    if (!valid || props.timeZone.length === 0) {
      fail(`timeZone must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC" (got ${got(props.timeZone)}). `
        + 'Fix: use a name from the tz database (as listed by timedatectl list-timezones), or leave timeZone unset for the controller\'s zone.');
    }
  }
  for (const [what, v] of [['successfulJobsRetained', props.successfulJobsRetained], ['failedJobsRetained', props.failedJobsRetained]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) fail(`${what} must be an integer >= 0 (got ${got(v)}). Fix: use the number of finished Jobs to keep, e.g. 3.`);
  }
  if (props.ttlAfterFinished !== undefined && (props.successfulJobsRetained !== undefined || props.failedJobsRetained !== undefined)) {
    fail('ttlAfterFinished deletes finished Jobs, which defeats successfulJobsRetained / failedJobsRetained. '
      + 'Fix: use either the TTL or the history limits.');
  }
}
