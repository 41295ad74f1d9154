import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** A Pod that mounts an API token runs as a service account of its own. */
export function checkServiceAccountToken(ctx: RuleContext): void {
  const spec = ctx.spec;
  const account = spec.serviceAccountName ?? spec.serviceAccount;
  if (spec.automountServiceAccountToken === false || (account && account !== 'default')) return;
  ctx.add(PolicyRule.SERVICE_ACCOUNT_TOKEN, PolicySeverity.ERROR,
    `the Pod mounts a service account token (automountServiceAccountToken is ${spec.automountServiceAccountToken === true ? 'true' : 'unset, so true'}) `
    + 'but names no service account of its own, so every container gets API credentials of the namespace\'s default '
    + 'account without needing them. Fix: set automountServiceAccountToken: false, or run as a dedicated service account.');
}
