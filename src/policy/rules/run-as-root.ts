import { PodSecurityException } from '../../pod/pod-security-exception';
import { PolicyRule } from '../policy-types';
import { RuleContext } from './rule';
import { reportSecurityOverrides } from './security-override';

/** Neither the Pod nor a container runs as user 0. */
export function checkRunAsRoot(ctx: RuleContext): void {
  reportSecurityOverrides(ctx, PodSecurityException.RUN_AS_ROOT, PolicyRule.RUN_AS_ROOT);
}
