import { ApiObject, Cron, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { cronProblem } from './cron-expression';
import { CRON_JOB_NAME_LIMIT, JOB_NAME_LIMIT, nameProps, workloadObjectName } from './object-names';
import { PatternWorkload, PatternWorkloadProps } from './workload-base';
import { PodComposition } from '../pod/composition';
import { WorkloadKind } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertWholeSeconds } from '../pod/validators';

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
    this.job = new kplus.Job(this, 'Resource', {
      ...jobProps(props),
      ...nameProps(workloadObjectName(this, props.name, JOB_NAME_LIMIT)),
    });
    this._setup(props, WorkloadKind.JOB, this.job, ['spec', 'template']);
    setJobCounts(this._composition, '/spec', props);
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
    this._attachInitialPatterns(props.patterns);
  }
}

/** The Job settings a BatchTask and the Jobs of a ScheduledTask share. */
function jobProps(props: BatchTaskProps): kplus.JobProps {
  return {
    backoffLimit: props.backoffLimit ?? 6,
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
