/**
 * For the benchmark's "checks off" contender only: the library with its
 * shared checks replaced by no-ops, to measure what the checks cost and what
 * the rest of the library (composition, rendering, labels) costs without them.
 *
 * Switched off:
 * - the shared validators (`src/pod/validators.ts`: every `assert*` that
 *   only throws);
 * - the shared pattern checks (`src/patterns/pattern-checks.ts`);
 * - the cdk8s-plus origin check of a workload's props;
 * - the Pod's validation at synth (pod rules, security settings, plaintext
 *   secrets, the checks of each kind of workload).
 *
 * Still on: the checks written inline in the constructors of the patterns and
 * workloads (a LogCollector's logDir, an HttpAdapter's routes, replicas...),
 * which are not reachable from outside. The figures of this contender are
 * therefore an upper bound of the library without checks.
 *
 * The output does not change (no check changes what is rendered); the
 * benchmark verifies that it is byte-identical.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/** The contender's name. */
export const CHECKS_OFF = 'library-checks-off';

/** The functions that only throw, by module (relative to this file). */
const THROWING_CHECKS: Record<string, string[]> = {
  '../src/pod/validators': [
    'assertLabelValue', 'assertDnsLabel', 'assertPortName', 'assertPort', 'assertDnsSubdomain', 'assertDns1035Label',
    'assertUrlScheme', 'assertNonRootUser', 'assertIntegerAtLeast', 'assertEnvName', 'assertEnvNames', 'assertNoHostPort',
    'assertAbsolutePath', 'assertPinnedImage', 'assertContainerProps', 'assertObjectNames',
  ],
  '../src/patterns/pattern-checks': ['assertPatternName', 'assertPatternImage', 'assertNotAnAppPort', 'checkUser'],
  '../src/workloads/cdk8s-plus-origin': ['assertOwnCdk8sPlus'],
};

/**
 * Replaces the checks with no-ops in this process. Call it before the
 * library's modules are used: callers in other modules read each function
 * from its module's exports at every call, so they get the no-op.
 */
export function switchOffChecks(): void {
  for (const [module, names] of Object.entries(THROWING_CHECKS)) {
    const exports = require(module);
    for (const name of names) {
      if (typeof exports[name] !== 'function') throw new Error(`checks-off: ${module} has no function ${name}`);
      exports[name] = () => undefined;
    }
  }
  const { OncePerSynthValidation } = require('../src/pod/once-per-synth');
  if (typeof OncePerSynthValidation?.prototype?.validate !== 'function') throw new Error('checks-off: OncePerSynthValidation has no validate');
  OncePerSynthValidation.prototype.validate = () => [];
}
