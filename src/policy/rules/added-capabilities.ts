import { PodSecurityException } from '../../pod/pod-security-exception';
import { PolicyRule } from '../policy-types';
import { RuleContext } from './rule';
import { reportSecurityOverrides } from './security-override';

/** No container adds Linux capabilities. */
export function checkAddedCapabilities(ctx: RuleContext): void {
  reportSecurityOverrides(ctx, PodSecurityException.ADDED_CAPABILITIES, PolicyRule.ADDED_CAPABILITIES);
}
