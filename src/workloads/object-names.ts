import { ApiObjectMetadata } from 'cdk8s';
import { IConstruct } from 'constructs';
import { got, ValidationError } from '../pod/validation-error';
import { assertDns1035Label, assertDnsSubdomain, isDnsLabel } from '../pod/validators';

/**
 * @internal
 * The explicit object name of a workload, checked: a DNS-1123 subdomain, as
 * Kubernetes requires of Deployments, StatefulSets, DaemonSets, Jobs and
 * CronJobs. `undefined` keeps the name derived from the construct path.
 */
export function workloadObjectName(scope: IConstruct, name: string | undefined, limit?: NameLimit): string | undefined {
  if (name === undefined) return undefined;
  assertDnsSubdomain(scope, 'name', name, 'web');
  if (limit && name.length > limit.max) {
    throw new ValidationError(scope,
      `name ${got(name)} has ${name.length} characters, but ${limit.why}, so Kubernetes refuses it above ${limit.max}. `
      + `Fix: choose a name of at most ${limit.max} characters.`);
  }
  return name;
}

/** @internal a stricter length limit of one kind of workload object, and its reason. */
export interface NameLimit {
  readonly max: number;
  readonly why: string;
}

/** @internal Jobs: the name is the value of the `job-name` label of its Pods. */
export const JOB_NAME_LIMIT: NameLimit = { max: 63, why: 'a Job\'s name is the value of the job-name label of its Pods' };

/** @internal CronJobs: the controller appends an 11-character suffix to name each Job. */
export const CRON_JOB_NAME_LIMIT: NameLimit = { max: 52, why: 'the CronJob controller appends an 11-character suffix to name each Job' };

/**
 * @internal
 * The name of a Service: the one given, else `fallback` (derived from the
 * workload's explicit name), checked as a DNS-1035 label, which Kubernetes
 * requires of Service names. `undefined` keeps the name derived from the
 * construct path.
 *
 * @param what the prop that sets the name, e.g. "service.name"
 */
export function serviceObjectName(scope: IConstruct, what: string, given: string | undefined, fallback: string | undefined): string | undefined {
  if (given !== undefined) {
    assertDns1035Label(scope, what, given, 'web');
    return given;
  }
  if (fallback === undefined) return undefined;
  assertDns1035Label(scope, `the name ${what} takes from name when it is not set`, fallback, 'web');
  return fallback;
}

/**
 * @internal
 * Throws unless the hostname of the highest member of a StatefulSet,
 * `<name>-<ordinal>`, is a DNS label (at most 63 characters, no dots): the
 * kubelet sets it as the Pod's hostname, and it is the first label of the
 * member's DNS name.
 */
export function assertMemberHostnames(scope: IConstruct, statefulSetName: string, replicas: number): void {
  const highest = Math.max(replicas - 1, 0);
  const hostname = `${statefulSetName}-${highest}`;
  if (!isDnsLabel(hostname)) {
    throw new ValidationError(scope,
      `the hostname of member ${highest}, ${got(hostname)}, is not a DNS label (lowercase letters, digits and '-', at most 63 `
      + 'characters, no dots), so the member would get no stable DNS name. Fix: choose a StatefulSet name without dots that '
      + `leaves room for "-${highest}" within 63 characters (name: "db").`);
  }
}

/**
 * @internal
 * The `metadata` prop of a cdk8s-plus resource for an optional name: none at
 * all without one, as `metadata: { name: undefined }` would drop the name
 * cdk8s derives from the construct path.
 */
export function nameProps(name: string | undefined): { metadata?: ApiObjectMetadata } {
  return name === undefined ? {} : { metadata: { name } };
}
