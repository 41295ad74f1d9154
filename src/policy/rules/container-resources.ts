import { PolicyRule, PolicySeverity } from '../policy-types';
import { RuleContext } from './rule';

/** Every container requests CPU and memory and limits memory. */
export function checkContainerResources(ctx: RuleContext): void {
  for (const { c, kind } of ctx.containers) {
    const r = c.resources ?? {};
    const missing = [
      ...(r.requests?.cpu === undefined ? ['requests.cpu'] : []),
      ...(r.requests?.memory === undefined ? ['requests.memory'] : []),
      ...(r.limits?.memory === undefined ? ['limits.memory'] : []),
    ];
    if (missing.length > 0) {
      ctx.add(PolicyRule.CONTAINER_RESOURCES, PolicySeverity.ERROR,
        `${kind} "${c.name}" sets no ${missing.join(', ')}; without requests the scheduler cannot place the Pod `
        + 'reliably, and without a memory limit a leak starves the other containers of the node. '
        + 'Fix: set resources: { cpu: { request }, memory: { request, limit } } on the container.', c.name);
    }
  }
}
