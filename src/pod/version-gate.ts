import { IConstruct } from 'constructs';
import { KubernetesVersion } from './sidecar-mode';
import { ValidationError } from './validation-error';

/**
 * @internal
 * A field the library renders only from a given Kubernetes version on.
 */
export interface VersionGate {
  /** The prop as the user writes it, e.g. "claimRetention". */
  readonly prop: string;
  /** The Kubernetes field it renders, e.g. "persistentVolumeClaimRetentionPolicy". */
  readonly field: string;
  /** The oldest version the library renders it for. */
  readonly minimum: KubernetesVersion;
  /** Why that version (shown in the error). */
  readonly why: string;
}

/** @internal StatefulSet `persistentVolumeClaimRetentionPolicy`: StatefulSetAutoDeletePVC, beta 1.27, GA 1.32. */
export const PVC_RETENTION_GATE: VersionGate = {
  prop: 'claimRetention',
  field: 'persistentVolumeClaimRetentionPolicy',
  minimum: KubernetesVersion.V1_32,
  why: 'The field is GA from 1.32; before, it depends on a beta feature gate (StatefulSetAutoDeletePVC), and where that is '
    + 'off the API server drops the field, so claims the manifest says are deleted are kept and GitOps never sees the object in sync.',
};

/** @internal PodDisruptionBudget `unhealthyPodEvictionPolicy`: PDBUnhealthyPodEvictionPolicy, beta 1.27, GA 1.31. */
export const UNHEALTHY_POD_EVICTION_GATE: VersionGate = {
  prop: 'unhealthyPodEvictionPolicy',
  field: 'unhealthyPodEvictionPolicy',
  minimum: KubernetesVersion.V1_31,
  why: 'The field is GA from 1.31; before, it depends on a beta feature gate (PDBUnhealthyPodEvictionPolicy), and where that '
    + 'is off the API server drops the field and GitOps never sees the budget in sync.',
};

/** @internal Job `podFailurePolicy`: JobPodFailurePolicy and PodDisruptionConditions, beta 1.26, GA 1.31. */
export const POD_FAILURE_POLICY_GATE: VersionGate = {
  prop: 'podFailurePolicy',
  field: 'podFailurePolicy',
  minimum: KubernetesVersion.V1_31,
  why: 'The field and the DisruptionTarget Pod condition its rules match are GA from 1.31; before, they depend on beta '
    + 'feature gates (JobPodFailurePolicy, PodDisruptionConditions), and where those are off the Job ignores its rules.',
};

/** @internal Job `backoffLimitPerIndex`: JobBackoffLimitPerIndex, beta 1.29, GA 1.33. */
export const BACKOFF_LIMIT_PER_INDEX_GATE: VersionGate = {
  prop: 'backoffLimitPerIndex',
  field: 'backoffLimitPerIndex',
  minimum: KubernetesVersion.V1_33,
  why: 'The field is GA from 1.33; before, it depends on a beta feature gate (JobBackoffLimitPerIndex), and where that is '
    + 'off the API server drops it and the whole Job fails after backoffLimit failures of any index.',
};

/** @internal Every gated field, in the order of the docs table. */
export const VERSION_GATES: readonly VersionGate[] = Object.freeze([
  UNHEALTHY_POD_EVICTION_GATE,
  POD_FAILURE_POLICY_GATE,
  PVC_RETENTION_GATE,
  BACKOFF_LIMIT_PER_INDEX_GATE,
]);

/** @internal The feature's refusal message for `version`, or undefined when `version` may render it. */
export function versionGateProblem(gate: VersionGate, version: KubernetesVersion): string | undefined {
  if (version.isAtLeast(gate.minimum)) return undefined;
  const min = gate.minimum.version;
  return `${gate.prop} renders ${gate.field}, which needs Kubernetes >= ${min} (got kubernetesVersion ${version.version}). `
    + `${gate.why} Fix: if your clusters run ${min} or later, set kubernetesVersion: KubernetesVersion.V${min.replace('.', '_')} `
    + `on the workload (or the context value "cdk8s-container-patterns/kubernetesVersion" to "${min}"); else drop ${gate.prop}.`;
}

/** @internal Throws the feature's refusal when `version` is older than the gate's minimum. */
export function assertVersionGate(scope: IConstruct, gate: VersionGate, version: KubernetesVersion): void {
  const problem = versionGateProblem(gate, version);
  if (problem) throw new ValidationError(scope, problem);
}
