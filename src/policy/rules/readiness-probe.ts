import { LONG_RUNNING, mainContainerOf, sameNamespace, serviceSelects } from '../manifests';
import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** The main container of a long-running Pod declares a readiness probe (an error when a Service sends it traffic). */
export function checkReadinessProbe(ctx: RuleContext): void {
  const main = mainContainerOf(ctx.template);
  if (!LONG_RUNNING.has(ctx.obj.kind) || !main || main.readinessProbe) return;
  const service = ctx.services.find(s => sameNamespace(s, ctx.obj) && serviceSelects(s, ctx.labels));
  if (service) {
    ctx.add(PolicyRule.READINESS_PROBE, PolicySeverity.ERROR,
      `main container "${main.name}" has no readiness probe, yet Service "${service.metadata?.name}" sends traffic to its Pods; `
      + 'they receive requests as soon as the process starts, before the app can answer. '
      + 'Fix: give the main container a readiness probe (e.g. readiness: Probe.fromHttpGet("/ready")).', main.name);
  } else {
    ctx.add(PolicyRule.READINESS_PROBE, PolicySeverity.WARNING,
      `main container "${main.name}" has no readiness probe, so its Pods count as ready as soon as the process starts and a `
      + 'rolling update of a broken version carries on. Fix: give the main container a readiness probe '
      + '(e.g. readiness: Probe.fromHttpGet("/ready") or Probe.fromCommand([...])).', main.name);
  }
}
