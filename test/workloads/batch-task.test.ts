import { Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BatchTask, IPodPattern, KubernetesVersion, PodFailureAction, PodFailureRule, PodPatternHost, ScheduledTask, ScheduledTaskProps,
  SidecarMode, TaskCompletionMode, TaskRestartPolicy,
} from '../../src';
import { errorOf, newChart, only, podSpec, synth } from '../util';

const TASK: kplus.ContainerProps = { image: 'busybox:1.36.1', securityContext: { user: 10001 }, command: ['sh', '-c', 'echo done'] };

/** A pattern that adds a log-shipping sidecar. */
class ShipLogs implements IPodPattern {
  public readonly name = 'ship-logs';
  public attach(host: PodPatternHost): void {
    host.addSidecar({ name: 'ship-logs', image: 'busybox:1.36.1' });
  }
}

const NIGHTLY: ScheduledTaskProps = { container: TASK, schedule: Cron.schedule({ minute: '0', hour: '3' }) };

describe('BatchTask', () => {
  test('defaults: a Job of one Pod that is not restarted, retried up to 6 times', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new BatchTask(chart, 'task', { container: TASK });
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('completions, parallelism, backoff, deadline and TTL', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new BatchTask(chart, 'task', {
      container: TASK,
      completions: 10,
      parallelism: 3,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(30),
      ttlAfterFinished: Duration.hours(1),
      restartPolicy: TaskRestartPolicy.ON_FAILURE,
    });
    // THEN
    const job = only(synth(chart), 'Job');
    expect(job.spec).toMatchObject({
      completions: 10, parallelism: 3, backoffLimit: 2, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 3600,
    });
    expect(podSpec(job).restartPolicy).toBe('OnFailure');
    // the Job's keys stay sorted, as cdk8s renders them
    expect(Object.keys(job.spec)).toEqual([...Object.keys(job.spec)].sort());
  });

  test('a NATIVE sidecar on 1.29 is an init container with restartPolicy: Always, so the Job can complete', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new BatchTask(chart, 'task', {
      container: TASK,
      sidecarMode: SidecarMode.NATIVE,
      kubernetesVersion: KubernetesVersion.V1_29,
      patterns: [new ShipLogs()],
    });
    // THEN
    const spec = podSpec(only(synth(chart), 'Job'));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['ship-logs', 'Always']]);
    expect(spec.restartPolicy).toBe('Never');
  });

  test('fails when a CLASSIC sidecar is added', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, patterns: [new ShipLogs()] })))
      .toBe('[test/task/ship-logs] sidecar "ship-logs" cannot run in a Job with sidecarMode CLASSIC: a classic sidecar never exits, '
        + 'so the Job would never complete (kubernetes/kubernetes#25908). Fix: set sidecarMode: SidecarMode.NATIVE with '
        + 'kubernetesVersion >= 1.29, or drop the sidecar.');
  });

  test('fails when completions is below 1', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, completions: 0 })))
      .toBe('[test/task] completions must be an integer >= 1 (got 0). Fix: use the number of successful Pods the task needs, e.g. 1.');
  });

  test('fails when parallelism is below 1', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, parallelism: 0 })))
      .toBe('[test/task] parallelism must be an integer >= 1 (got 0). Fix: to hold a task back, suspend it instead.');
  });

  test('fails when parallelism is above completions', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, completions: 2, parallelism: 5 })))
      .toBe('[test/task] parallelism (5) is above completions (2); Kubernetes would never run more than 2 Pods at once. '
        + 'Fix: lower parallelism or raise completions.');
  });

  test('fails when backoffLimit is negative', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, backoffLimit: -1 })))
      .toBe('[test/task] backoffLimit must be an integer >= 0 (got -1). Fix: use the number of retries, e.g. 6; 0 never retries.');
  });

  test('fails when the active deadline is under a second', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, activeDeadline: Duration.seconds(0) })))
      .toBe('[test/task] activeDeadline must be a whole number of seconds, at least 1 (got 0 seconds). Fix: use e.g. Duration.minutes(30).');
  });
});

describe('ScheduledTask', () => {
  const CRON_FIX = 'Fix: use the 5-field cron syntax with values in range (e.g. Cron.schedule({ minute: "*/5" }) for every 5 '
    + 'minutes), or one of the macros @hourly, @daily, @weekly, @monthly, @yearly.';
  const scheduled = (expressionString: string) => () => new ScheduledTask(newChart(), 'nightly', { ...NIGHTLY, schedule: { expressionString } });

  test.each([
    ['61 * * * *', 'the minute field "61" has "61", which is not a number from 0 to 59'],
    ['every 5', 'a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has 2'],
    ['0 24 * * *', 'the hour field "24" has "24", which is not a number from 0 to 23'],
    ['0 0 0 * *', 'the day of month field "0" has "0", which is not a number from 1 to 31'],
    ['0 0 * 13 *', 'the month field "13" has "13", which is not a number from 1 to 12 or a name (JAN...)'],
    ['0 0 * * 7', 'the day of week field "7" has "7", which is not a number from 0 to 6 or a name (SUN...)'],
    ['*/0 * * * *', 'the minute field "*/0" has a step "0" that is not a positive integer'],
    ['30-10 * * * *', 'the minute field "30-10" has a range "30-10" whose start is after its end'],
    ['@hourly * * * *', 'the macro @hourly stands for all five fields, so nothing may follow it'],
    ['@often', '"@often" is not a macro Kubernetes knows (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>)'],
  ])('fails when the schedule is %j', (expression, problem) => {
    expect(errorOf(scheduled(expression))).toBe(`[test/nightly] schedule ${JSON.stringify(expression)} is not a schedule Kubernetes `
      + `accepts: ${problem}. ${CRON_FIX}`);
  });

  test.each([
    ['@hourly'], ['@daily'], ['@midnight'], ['@weekly'], ['@monthly'], ['@yearly'], ['@annually'], ['@every 1h30m'],
    ['*/5 * * * *'], ['0 3 * * MON-FRI'], ['0 0 1,15 jan,jul ?'], ['5-10/2 0-23 1-31 1-12 0-6'],
  ])('renders the schedule %j as given', expression => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new ScheduledTask(chart, 'nightly', { ...NIGHTLY, schedule: { expressionString: expression } });
    // THEN
    expect(only(synth(chart), 'CronJob').spec.schedule).toBe(expression);
  });

  test('defaults: a CronJob that forbids overlapping runs and keeps 3 successful and 1 failed Job', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new ScheduledTask(chart, 'nightly', NIGHTLY);
    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('schedule settings and the Job settings inside the job template', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new ScheduledTask(chart, 'nightly', {
      ...NIGHTLY,
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE,
      startingDeadline: Duration.minutes(5),
      suspend: true,
      successfulJobsRetained: 5,
      failedJobsRetained: 2,
      completions: 4,
      parallelism: 2,
      backoffLimit: 1,
    });
    // THEN
    const cron = only(synth(chart), 'CronJob');
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 300,
      suspend: true,
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 2,
    });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ completions: 4, parallelism: 2, backoffLimit: 1 });
  });

  test('a NATIVE sidecar lands in the job template\'s Pod', () => {
    const chart = newChart();
    new ScheduledTask(chart, 'nightly', {
      ...NIGHTLY, sidecarMode: SidecarMode.NATIVE, kubernetesVersion: KubernetesVersion.V1_29, patterns: [new ShipLogs()],
    });
    const spec = podSpec(only(synth(chart), 'CronJob'));
    expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['ship-logs', 'Always']]);
  });

  test('fails when a CLASSIC sidecar is added', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { ...NIGHTLY, patterns: [new ShipLogs()] })))
      .toBe('[test/nightly/ship-logs] sidecar "ship-logs" cannot run in a CronJob with sidecarMode CLASSIC: a classic sidecar never '
        + 'exits, so the Job would never complete (kubernetes/kubernetes#25908). Fix: set sidecarMode: SidecarMode.NATIVE with '
        + 'kubernetesVersion >= 1.29, or drop the sidecar.');
  });

  test('fails when the time zone is unknown', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { ...NIGHTLY, timeZone: 'Mars/Olympus' })))
      .toBe('[test/nightly] timeZone must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC" (got "Mars/Olympus"). '
        + 'Fix: use a name from the tz database (as listed by timedatectl list-timezones), or leave timeZone unset for the controller\'s zone.');
  });

  test('the starting deadline can be left unset', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new ScheduledTask(chart, 'nightly', { ...NIGHTLY, noStartingDeadline: true });
    // THEN
    const spec = only(synth(chart), 'CronJob').spec;
    expect(spec).not.toHaveProperty('startingDeadlineSeconds');
    expect(spec.schedule).toBe('0 3 * * *');
  });

  test('the starting deadline is rendered by default', () => {
    const chart = newChart();
    new ScheduledTask(chart, 'nightly', NIGHTLY);
    expect(only(synth(chart), 'CronJob').spec.startingDeadlineSeconds).toBe(10);
  });

  test('fails when noStartingDeadline is combined with a starting deadline', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { ...NIGHTLY, noStartingDeadline: true, startingDeadline: Duration.minutes(5) })))
      .toBe('[test/nightly] noStartingDeadline contradicts startingDeadline (got 300 seconds). Fix: drop one of them.');
  });

  test('fails when the starting deadline is under 10 seconds', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { ...NIGHTLY, startingDeadline: Duration.seconds(5) })))
      .toBe('[test/nightly] startingDeadline must be at least 10 seconds (got 5 seconds): the CronJob controller checks schedules '
        + 'every 10 seconds, so a shorter deadline can miss runs. Fix: use Duration.seconds(10) or more.');
  });

  test('fails when a TTL is combined with history limits', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { ...NIGHTLY, ttlAfterFinished: Duration.hours(1), failedJobsRetained: 3 })))
      .toBe('[test/nightly] ttlAfterFinished deletes finished Jobs, which defeats successfulJobsRetained / failedJobsRetained. '
        + 'Fix: use either the TTL or the history limits.');
  });

  test('fails when a history limit is negative', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'nightly', { ...NIGHTLY, successfulJobsRetained: -1 })))
      .toBe('[test/nightly] successfulJobsRetained must be an integer >= 0 (got -1). Fix: use the number of finished Jobs to keep, e.g. 3.');
  });
});

describe('Job failure handling', () => {
  const FAILURE_RULES = [PodFailureRule.ignoreDisruptions(), PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values: [42] })];

  test('podFailurePolicy is rendered from Kubernetes 1.31', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new BatchTask(chart, 'task', { container: TASK, kubernetesVersion: KubernetesVersion.V1_31, podFailurePolicy: FAILURE_RULES });
    // THEN
    expect(only(synth(chart), 'Job').spec.podFailurePolicy).toEqual({
      rules: [
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
      ],
    });
  });

  test('a ScheduledTask renders podFailurePolicy in its Job template', () => {
    const chart = newChart();
    new ScheduledTask(chart, 'task', { ...NIGHTLY, kubernetesVersion: KubernetesVersion.V1_34, podFailurePolicy: [PodFailureRule.ignoreDisruptions()] });
    expect(only(synth(chart), 'CronJob').spec.jobTemplate.spec.podFailurePolicy.rules[0].action).toBe('Ignore');
  });

  test('backoffLimitPerIndex is rendered for an indexed Job from Kubernetes 1.33, without the Job-wide default backoffLimit', () => {
    // GIVEN
    const chart = newChart();
    // WHEN
    new BatchTask(chart, 'task', {
      container: TASK,
      kubernetesVersion: KubernetesVersion.V1_33,
      completions: 5,
      parallelism: 5,
      completionMode: TaskCompletionMode.INDEXED,
      backoffLimitPerIndex: 2,
      maxFailedIndexes: 1,
      podFailurePolicy: [PodFailureRule.onExitCodes(PodFailureAction.FAIL_INDEX, { values: [3] })],
    });
    // THEN
    const job = only(synth(chart), 'Job');
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', backoffLimitPerIndex: 2, maxFailedIndexes: 1, completions: 5 });
    expect(job.spec).not.toHaveProperty('backoffLimit');
    expect(Object.keys(job.spec)).toEqual([...Object.keys(job.spec)].sort());
  });

  test('a ScheduledTask renders backoffLimitPerIndex in its Job template', () => {
    const chart = newChart();
    new ScheduledTask(chart, 'task', {
      ...NIGHTLY, kubernetesVersion: KubernetesVersion.V1_34, completions: 3, completionMode: TaskCompletionMode.INDEXED, backoffLimitPerIndex: 1,
    });
    const cron = only(synth(chart), 'CronJob');
    expect(cron.spec.jobTemplate.spec).toMatchObject({ completionMode: 'Indexed', backoffLimitPerIndex: 1 });
    expect(cron.spec).not.toHaveProperty('backoffLimitPerIndex');
  });

  test('nothing is rendered by default', () => {
    const chart = newChart();
    new BatchTask(chart, 'task', { container: TASK, kubernetesVersion: KubernetesVersion.V1_34 });
    const spec = only(synth(chart), 'Job').spec;
    for (const key of ['podFailurePolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'completionMode']) expect(spec).not.toHaveProperty(key);
    expect(spec.backoffLimit).toBe(6);
  });

  test('fails when podFailurePolicy targets Kubernetes 1.30', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, kubernetesVersion: KubernetesVersion.V1_30, podFailurePolicy: FAILURE_RULES })))
      .toBe('[test/task] podFailurePolicy renders podFailurePolicy, which needs Kubernetes >= 1.31 (got kubernetesVersion 1.30). The field and '
        + 'the DisruptionTarget Pod condition its rules match are GA from 1.31; before, they depend on beta feature gates (JobPodFailurePolicy, '
        + 'PodDisruptionConditions), and where those are off the Job ignores its rules. Fix: if your clusters run 1.31 or later, set '
        + 'kubernetesVersion: KubernetesVersion.V1_31 on the workload (or the context value "cdk8s-container-patterns/kubernetesVersion" '
        + 'to "1.31"); else drop podFailurePolicy.');
  });

  test('fails when backoffLimitPerIndex targets Kubernetes 1.32', () => {
    const chart = newChart();
    expect(errorOf(() => new ScheduledTask(chart, 'task', {
      ...NIGHTLY, kubernetesVersion: KubernetesVersion.V1_32, completions: 2, completionMode: TaskCompletionMode.INDEXED, backoffLimitPerIndex: 1,
    }))).toBe('[test/task] backoffLimitPerIndex renders backoffLimitPerIndex, which needs Kubernetes >= 1.33 (got kubernetesVersion 1.32). '
      + 'The field is GA from 1.33; before, it depends on a beta feature gate (JobBackoffLimitPerIndex), and where that is off the API '
      + 'server drops it and the whole Job fails after backoffLimit failures of any index. Fix: if your clusters run 1.33 or later, set '
      + 'kubernetesVersion: KubernetesVersion.V1_33 on the workload (or the context value "cdk8s-container-patterns/kubernetesVersion" '
      + 'to "1.33"); else drop backoffLimitPerIndex.');
  });

  test('fails when backoffLimitPerIndex is given for a Job that is not indexed', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, kubernetesVersion: KubernetesVersion.V1_33, backoffLimitPerIndex: 1 })))
      .toBe('[test/task] backoffLimitPerIndex only applies to indexed Jobs (got completionMode undefined). '
        + 'Fix: set completionMode: TaskCompletionMode.INDEXED.');
  });

  test('fails when podFailurePolicy is combined with restartPolicy ON_FAILURE', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', {
      container: TASK, kubernetesVersion: KubernetesVersion.V1_31, restartPolicy: TaskRestartPolicy.ON_FAILURE, podFailurePolicy: FAILURE_RULES,
    }))).toBe('[test/task] podFailurePolicy needs restartPolicy NEVER (got ON_FAILURE): with OnFailure the kubelet restarts a failed '
      + 'container in place, so the Job controller never sees a failed Pod to apply the rules to. Fix: drop restartPolicy or drop podFailurePolicy.');
  });

  test('fails when a FAIL_INDEX rule has no backoffLimitPerIndex', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', {
      container: TASK,
      kubernetesVersion: KubernetesVersion.V1_31,
      podFailurePolicy: [PodFailureRule.onExitCodes(PodFailureAction.FAIL_INDEX, { values: [1] })],
    }))).toBe('[test/task] podFailurePolicy has a FAIL_INDEX rule, which only applies to indexed Jobs with backoffLimitPerIndex (got '
      + 'backoffLimitPerIndex undefined). Fix: set completionMode: TaskCompletionMode.INDEXED and backoffLimitPerIndex, or use FAIL_JOB.');
  });

  test('fails when podFailurePolicy is empty', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, kubernetesVersion: KubernetesVersion.V1_31, podFailurePolicy: [] })))
      .toBe('[test/task] podFailurePolicy must list 1 to 20 rules made with PodFailureRule (got []). '
        + 'Fix: e.g. podFailurePolicy: [PodFailureRule.ignoreDisruptions()].');
  });

  test('fails when maxFailedIndexes exceeds completions', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', {
      container: TASK,
      kubernetesVersion: KubernetesVersion.V1_33,
      completions: 2,
      completionMode: TaskCompletionMode.INDEXED,
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 3,
    }))).toBe('[test/task] maxFailedIndexes must be an integer from 0 to completions (2) (got 3). '
      + 'Fix: use how many indexes may fail before the whole Job fails.');
  });

  test('fails when maxFailedIndexes is given without backoffLimitPerIndex', () => {
    const chart = newChart();
    expect(errorOf(() => new BatchTask(chart, 'task', { container: TASK, kubernetesVersion: KubernetesVersion.V1_33, maxFailedIndexes: 1 })))
      .toBe('[test/task] maxFailedIndexes (1) only applies with backoffLimitPerIndex (got undefined). Fix: set backoffLimitPerIndex too.');
  });
});
