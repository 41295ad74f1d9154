import { PodSecurityException } from '../../pod/pod-security-exception';
import { securityOverrides } from '../../pod/security-overrides';
import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/**
 * @internal
 * Reports, as ERRORs of `rule`, the settings of the Pod that need `exception`
 * (the same settings a workload of this library refuses without it).
 */
export function reportSecurityOverrides(ctx: RuleContext, exception: PodSecurityException, rule: PolicyRule): void {
  for (const o of securityOverrides(ctx.spec)) {
    if (o.exception !== exception) continue;
    ctx.add(rule, PolicySeverity.ERROR,
      `${o.container ? `${o.containerKind} "${o.container}"` : 'the Pod'} sets ${o.setting}, ${o.consequence}; it fails the Pod `
      + `Security Standards "${o.profile}" profile. Fix: remove the setting, or run the workload in a namespace that allows the `
      + `"${o.profile}" violation and keep this finding as a reviewed exception.`, o.container);
  }
}
