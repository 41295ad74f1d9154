import { maxReplicas, REPLICATED, sameNamespace, selects } from '../manifests';
import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** The reason a workload is replicated, or undefined when it runs fewer than 2 replicas. */
export function replicatedBecause(ctx: RuleContext): string | undefined {
  if (!REPLICATED.has(ctx.obj.kind)) return undefined;
  const { replicas, hpa } = maxReplicas(ctx.obj, ctx.hpas);
  if (replicas < 2) return undefined;
  return hpa ? `HorizontalPodAutoscaler "${hpa.metadata?.name}" scales it to ${replicas} replicas` : `it runs ${replicas} replicas`;
}

/** A replicated workload has a PodDisruptionBudget selecting its Pods. */
export function checkDisruptionBudget(ctx: RuleContext): void {
  const why = replicatedBecause(ctx);
  if (!why || ctx.pdbs.some(p => sameNamespace(p, ctx.obj) && selects(p.spec?.selector, ctx.labels))) return;
  ctx.add(PolicyRule.DISRUPTION_BUDGET, PolicySeverity.ERROR,
    `${why}, but no PodDisruptionBudget selects its Pods, so a node drain or cluster upgrade may evict all of them at once. `
    + 'Fix: add a PodDisruptionBudget whose selector matches the Pod labels (e.g. maxUnavailable: 1).');
}
