import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';

/** A fresh chart in a fresh app, as a test's GIVEN. */
export function newChart(context?: Record<string, unknown>): Chart {
  const a = Testing.app();
  for (const [k, v] of Object.entries(context ?? {})) a.node.setContext(k, v);
  return new Chart(a, 'test');
}

/**
 * Synthesizes a chart the way `cdk8s synth` does: validations first (a failure
 * throws and nothing is rendered), then every object.
 */
export function synth(chart: Chart): any[] {
  const errors: string[] = [];
  for (const c of chart.node.findAll()) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
  return Testing.synth(chart);
}

/** The one object of `kind` (and name prefix) in a synthesized chart. */
export function only(manifests: any[], kind: string, namePart?: string): any {
  const found = manifests.filter(m => m.kind === kind && (!namePart || m.metadata?.name?.includes(namePart)));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${namePart ? ` named *${namePart}*` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** The Pod spec of a workload object (Deployment, StatefulSet, DaemonSet, Job, CronJob). */
export function podSpec(obj: any): any {
  return obj.kind === 'CronJob' ? obj.spec.jobTemplate.spec.template.spec : obj.spec.template.spec;
}

/** Runs `fn`, expecting it to throw; returns the message. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

export function app(): App {
  return Testing.app();
}

export type { Construct };
