import { PodSecurityException } from '../../pod/pod-security-exception';
import { PolicyRule } from '../policy-types';
import { RuleContext } from './rule';
import { reportSecurityOverrides } from './security-override';

/** The Pod does not share the node's IPC namespace. */
export function checkHostIpc(ctx: RuleContext): void {
  reportSecurityOverrides(ctx, PodSecurityException.HOST_IPC, PolicyRule.HOST_IPC);
}
