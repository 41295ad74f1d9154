import { PodSecurityException } from '../../pod/pod-security-exception';
import { PolicyRule } from '../policy-types';
import { RuleContext } from './rule';
import { reportSecurityOverrides } from './security-override';

/** No container runs privileged. */
export function checkPrivileged(ctx: RuleContext): void {
  reportSecurityOverrides(ctx, PodSecurityException.PRIVILEGED, PolicyRule.PRIVILEGED);
}
