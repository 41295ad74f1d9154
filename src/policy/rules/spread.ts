import { spreadsItself } from '../manifests';
import { PolicyRule, PolicySeverity } from '../policy-types';
import { replicatedBecause } from './disruption-budget';
import { RuleContext } from './rule';

/** A replicated workload spreads its own Pods across nodes. */
export function checkSpread(ctx: RuleContext): void {
  const why = replicatedBecause(ctx);
  if (!why || spreadsItself(ctx.spec, ctx.labels)) return;
  ctx.add(PolicyRule.SPREAD, PolicySeverity.WARNING,
    `${why}, but neither a topology spread constraint nor a pod anti-affinity term selects its own Pods, so the scheduler `
    + 'may put every replica on one node. Fix: add a topologySpreadConstraint or a preferred pod anti-affinity on '
    + 'kubernetes.io/hostname whose labelSelector matches the Pod labels.');
}
