import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { got, ValidationError } from './validation-error';
import { assertDnsLabel } from './validators';

/**
 * @internal
 * The cluster DNS domain the library writes fully qualified names with.
 */
export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * @internal
 * The namespace the objects of `scope` are applied to, as far as the app
 * knows it: `explicit` (validated against the chart's namespace), else the
 * chart's namespace, else undefined.
 */
export function resolveNamespace(scope: Construct, explicit?: string): string | undefined {
  const chartNamespace = Chart.of(scope).namespace;
  if (explicit === undefined) return chartNamespace;
  assertDnsLabel(scope, 'namespace', explicit);
  if (chartNamespace !== undefined && chartNamespace !== explicit) {
    throw new ValidationError(scope,
      `namespace ${got(explicit)} differs from the namespace of the chart (${got(chartNamespace)}), into which the objects are `
      + 'rendered, so the DNS names built from it would not resolve. Fix: drop the namespace prop (the chart\'s is used) or '
      + 'make them agree.');
  }
  return explicit;
}

/**
 * @internal
 * The DNS name of a Service: fully qualified when the namespace is known,
 * else the bare name (which resolves from within the same namespace).
 */
export function serviceHost(serviceName: string, namespace?: string): string {
  return namespace ? `${serviceName}.${namespace}.svc.${CLUSTER_DOMAIN}` : serviceName;
}
