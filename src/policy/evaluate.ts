import { containersOf, idOf, podTemplateOf } from './manifests';
import { PolicyFinding, PolicyRule, PolicySeverity } from './policy-types';
import { CHECKS } from './rules/all-rules';

const RULE_ORDER = Object.values(PolicyRule);

/**
 * @internal
 * Runs every rule over every object with a Pod template; findings per
 * object, in rule order.
 */
export function evaluate(manifests: any[]): PolicyFinding[] {
  const services = manifests.filter(m => m.kind === 'Service');
  const pdbs = manifests.filter(m => m.kind === 'PodDisruptionBudget');
  const hpas = manifests.filter(m => m.kind === 'HorizontalPodAutoscaler');
  const findings: PolicyFinding[] = [];
  for (const obj of manifests) {
    const template = podTemplateOf(obj);
    if (!template) continue;
    const object = idOf(obj);
    const spec = template.spec ?? {};
    const own: PolicyFinding[] = [];
    const ctx = {
      obj,
      template,
      spec,
      services,
      pdbs,
      hpas,
      labels: template.metadata?.labels ?? {},
      containers: containersOf(spec),
      add: (rule: PolicyRule, severity: PolicySeverity, message: string, container?: string) =>
        own.push({ object, container, rule, severity, message }),
    };
    for (const check of CHECKS) check(ctx);
    own.sort((a, b) => RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
    findings.push(...own);
  }
  return findings;
}
