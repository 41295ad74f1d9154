import { ExitCodeOperator, PodFailureAction, PodFailureRule } from '../../src';
import { errorOf } from '../util';

describe('PodFailureRule', () => {
  test('ignoreDisruptions ignores Pods with the DisruptionTarget condition', () => {
    expect(PodFailureRule.ignoreDisruptions()._toJson())
      .toEqual({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] });
  });

  test('onExitCodes renders the values in ascending order, IN by default', () => {
    // GIVEN
    const values = [42, 3, 17];
    // WHEN
    const rule = PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values, containerName: 'app' });
    values.push(1);
    // THEN the rule copied the values and sorted its own copy
    expect(rule._toJson()).toEqual({ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 17, 42], containerName: 'app' } });
    expect(values).toEqual([42, 3, 17, 1]);
  });

  test('onExitCodes with NOT_IN [0] matches every failure', () => {
    expect(PodFailureRule.onExitCodes(PodFailureAction.COUNT, { operator: ExitCodeOperator.NOT_IN, values: [0] })._toJson())
      .toEqual({ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0] } });
  });

  test('onPodCondition matches a condition whose status is True', () => {
    expect(PodFailureRule.onPodCondition(PodFailureAction.FAIL_INDEX, 'example.com/OutOfQuota')._toJson())
      .toEqual({ action: 'FailIndex', onPodConditions: [{ type: 'example.com/OutOfQuota', status: 'True' }] });
  });

  test('fails when IN lists exit code 0', () => {
    expect(errorOf(() => PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values: [0, 1] })))
      .toBe('[PodFailureRule.onExitCodes] values with operator IN must not contain 0, the exit code of success (got [0,1]). '
        + 'Fix: remove 0; to match every failure, use operator NOT_IN with values [0].');
  });

  test('fails when no exit code is listed', () => {
    expect(errorOf(() => PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values: [] })))
      .toBe('[PodFailureRule.onExitCodes] values must list 1 to 255 exit codes (got []). Fix: list the exit codes the rule matches, e.g. values: [42].');
  });

  test('fails when an exit code is out of range', () => {
    expect(errorOf(() => PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values: [256] })))
      .toBe('[PodFailureRule.onExitCodes] exit code must be an integer from 0 to 255 (got 256). Fix: use the code the process exits with.');
  });

  test('fails when an exit code is listed twice', () => {
    expect(errorOf(() => PodFailureRule.onExitCodes(PodFailureAction.FAIL_JOB, { values: [2, 2] })))
      .toBe('[PodFailureRule.onExitCodes] values lists an exit code twice (got [2,2]). Fix: list each exit code once.');
  });

  test('fails when the action is not a PodFailureAction', () => {
    expect(errorOf(() => PodFailureRule.onExitCodes('Fail' as PodFailureAction, { values: [1] })))
      .toBe('[PodFailureRule.onExitCodes] action must be a PodFailureAction (got "Fail"). Fix: use PodFailureAction.FAIL_JOB, FAIL_INDEX, IGNORE or COUNT.');
  });

  test('fails when the condition type is not a qualified name', () => {
    expect(errorOf(() => PodFailureRule.onPodCondition(PodFailureAction.IGNORE, 'Disruption Target')))
      .toBe('[PodFailureRule.onPodCondition] conditionType must be a Pod condition type such as "DisruptionTarget" (got "Disruption Target"). '
        + 'Fix: use a qualified name: letters, digits, "-", "_" and ".", optionally after a DNS prefix and "/".');
  });
});
