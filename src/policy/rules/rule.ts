import { ContainerRef } from '../manifests';
import { PolicyRule, PolicySeverity } from '../policy-types';

/**
 * @internal
 * What one rule sees of one object with a Pod template, and how it reports.
 */
export interface RuleContext {
  /** The object (Deployment, StatefulSet, ...). */
  readonly obj: any;
  /** Its Pod template. */
  readonly template: any;
  /** The Pod spec of the template. */
  readonly spec: any;
  /** The Pod template's labels. */
  readonly labels: Record<string, string>;
  /** Every container of the Pod, with its kind. */
  readonly containers: ContainerRef[];
  /** Every Service of the manifests. */
  readonly services: any[];
  /** Every PodDisruptionBudget of the manifests. */
  readonly pdbs: any[];
  /** Every HorizontalPodAutoscaler of the manifests. */
  readonly hpas: any[];
  /** Reports a finding about the object (and one of its containers). */
  add(rule: PolicyRule, severity: PolicySeverity, message: string, container?: string): void;
}

/** @internal one rule: reports its findings about one object through `ctx.add`. */
export type RuleCheck = (ctx: RuleContext) => void;
