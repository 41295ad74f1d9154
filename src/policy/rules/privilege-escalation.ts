import { PodSecurityException } from '../../pod/pod-security-exception';
import { PolicyRule } from '../policy-types';
import { RuleContext } from './rule';
import { reportSecurityOverrides } from './security-override';

/** No container allows privilege escalation. */
export function checkPrivilegeEscalation(ctx: RuleContext): void {
  reportSecurityOverrides(ctx, PodSecurityException.PRIVILEGE_ESCALATION, PolicyRule.PRIVILEGE_ESCALATION);
}
