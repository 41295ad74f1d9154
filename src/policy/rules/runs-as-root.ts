import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** A container that may run as root (user 0, or runAsNonRoot not true) is reported. */
export function checkRunsAsRoot(ctx: RuleContext): void {
  const pod = ctx.spec.securityContext ?? {};
  for (const { c, kind } of ctx.containers) {
    const sc = c.securityContext ?? {};
    const user = sc.runAsUser ?? pod.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (user === 0 || nonRoot !== true) {
      ctx.add(PolicyRule.RUNS_AS_ROOT, PolicySeverity.WARNING,
        `${kind} "${c.name}" may run as root (runAsUser ${user === undefined ? 'unset' : user}, runAsNonRoot `
        + `${nonRoot === undefined ? 'unset' : nonRoot}), so the Pod does not meet the restricted Pod Security Standard and is refused `
        + 'where it is enforced. Fix: run it as a numeric non-root user with writablePaths for what it writes; keep '
        + 'runAsRoot only if the image cannot run otherwise.', c.name);
    }
  }
}
