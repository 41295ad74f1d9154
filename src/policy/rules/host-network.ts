import { PodSecurityException } from '../../pod/pod-security-exception';
import { PolicyRule } from '../policy-types';
import { RuleContext } from './rule';
import { reportSecurityOverrides } from './security-override';

/** The Pod does not share the node's network namespace. */
export function checkHostNetwork(ctx: RuleContext): void {
  reportSecurityOverrides(ctx, PodSecurityException.HOST_NETWORK, PolicyRule.HOST_NETWORK);
}
