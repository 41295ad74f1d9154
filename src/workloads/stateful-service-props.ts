import * as kplus from 'cdk8s-plus-27';
import { DisruptionBudget } from './disruption-budget';
import { IngressPolicyOptions } from './network-policy';
import { ClaimRetentionPolicy, VolumeClaimTemplate } from './volume-claim-template';
import { PatternWorkloadProps } from './workload-base';

/**
 * How a stateful service rolls out a new Pod template.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies
 */
export enum StatefulUpdateStrategy {
  /**
   * Replace members one at a time, from the highest ordinal down, each once
   * its successor is Ready; `partition` holds back the lower ordinals.
   */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Replace a member only when you delete its Pod. */
  ON_DELETE = 'OnDelete',
}

/**
 * The optional read (client) Service of a stateful service: one ClusterIP
 * (or other type) in front of every Ready member. For a replicated database
 * that is the read endpoint (`readEndpoint`); writes go to the primary.
 */
export interface StatefulClientServiceOptions {
  /**
   * The Service name, a DNS-1035 label (e.g. "mysql-read").
   * @default - `<name>-read` when the StatefulService has a `name`, else derived from the construct path
   */
  readonly name?: string;

  /**
   * Service type.
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly type?: kplus.ServiceType;

  /**
   * The port the client Service listens on for the main container's first
   * port. Every other port is exposed under its container port number.
   * @default - the container port
   */
  readonly port?: number;
}

/**
 * Props of a {@link StatefulService}.
 */
export interface StatefulServiceProps extends PatternWorkloadProps {
  /**
   * Number of members. 0 stops every member and keeps their claims
   * (unless `claimRetention.whenScaled` is DELETE, which is then refused).
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Per-replica volumes, mounted into the main container.
   * A stateful service needs at least one, unless `ephemeral` is set.
   * @default - none (then `ephemeral: true` is required)
   */
  readonly volumeClaimTemplates?: VolumeClaimTemplate[];

  /**
   * Declare that the members keep no data across restarts and only need a
   * stable network identity (e.g. a cache or a peer-discovered cluster that
   * re-syncs on start). Required when there are no `volumeClaimTemplates`;
   * an empty list is not taken as this declaration.
   * @default false
   */
  readonly ephemeral?: boolean;

  /**
   * What happens to the claims when the StatefulSet is deleted or scaled
   * down. Rendered as `persistentVolumeClaimRetentionPolicy`, which the
   * library requires `kubernetesVersion` 1.32 or later for (GA there; from
   * 1.27 to 1.31 it depends on a beta feature gate that a cluster may have
   * off, and the API server then drops the field). Each of `whenDeleted` and
   * `whenScaled` defaults to RETAIN: deleting data is never a default.
   * @default - not rendered: Kubernetes retains the claims in both cases
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention
   */
  readonly claimRetention?: ClaimRetentionPolicy;

  /**
   * Whether members are started and stopped one at a time, in ordinal
   * order, each waiting for its predecessor to be Ready (ORDERED_READY), or
   * all at once (PARALLEL).
   * @default kplus.PodManagementPolicy.ORDERED_READY
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-management-policies
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;

  /**
   * How a new Pod template is rolled out.
   * @default StatefulUpdateStrategy.ROLLING_UPDATE
   */
  readonly updateStrategy?: StatefulUpdateStrategy;

  /**
   * Partitioned rolling update: only members with an ordinal >= `partition`
   * get a new Pod template, so a canary runs on the highest ordinals first.
   * Lower the partition step by step to roll the rest out; `replicas` holds
   * every member back.
   * @default 0 - every member is updated
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#partitions
   */
  readonly partition?: number;

  /**
   * The PodDisruptionBudget. A stateful service never lets voluntary
   * disruptions take more than one member down, so only
   * `maxUnavailable(1)`, `minAvailable(replicas - 1)` and `none()` are
   * accepted.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;

  /**
   * Prefer to schedule the replicas on different nodes (a preferred pod
   * anti-affinity on the workload's own Pods, weight 100), so one node going
   * down takes out as few replicas as possible. Preferred, not required: the
   * Pods still schedule when there are fewer nodes than replicas.
   * @default - true when the workload can run 2 or more replicas
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
   */
  readonly spreadAcrossNodes?: boolean;

  /**
   * Restrict ingress with a NetworkPolicy: only these peers, only the exposed ports.
   * @default - no NetworkPolicy: every Pod in the cluster may connect
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
   */
  readonly ingressPolicy?: IngressPolicyOptions;

  /**
   * List members in the governing headless Service (and so in DNS) before
   * they are Ready, for peers that must find each other to become Ready
   * (e.g. to form a quorum).
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;

  /**
   * A read (client) Service load-balancing over the Ready members, in
   * addition to the governing headless Service; see `readEndpoint`.
   * @default - none
   */
  readonly clientService?: StatefulClientServiceOptions;

  /**
   * The name of the governing headless Service, a DNS-1035 label. It is the
   * second label of every member's DNS name: with `name: "web"` and
   * `headlessServiceName: "nginx"` the members are `web-0.nginx`,
   * `web-1.nginx`, ...
   * @default - the StatefulService's `name` when given, else derived from the construct path
   */
  readonly headlessServiceName?: string;

  /**
   * The group that owns the per-replica volumes (Pod `fsGroup`), so that a
   * non-root main container can write them. Ownership is only changed when
   * the volume's root does not match already (`OnRootMismatch`).
   * @default - the main container's `securityContext.group`, else its `securityContext.user`; none when neither is set or there are no volumeClaimTemplates
   */
  readonly fsGroup?: number;

  /**
   * URL scheme of the service's endpoints (see `url`), e.g. "mysql".
   * @default - none: plain TCP endpoints
   */
  readonly scheme?: string;

  /**
   * The namespace the manifests are applied to, when the chart does not set
   * one (e.g. the destination namespace of a GitOps application). Only used
   * to build DNS names; it must agree with the chart's namespace when both
   * are set.
   * @default - the chart's namespace; when neither is known, `host` and the member hosts are namespace-relative (`<pod>.<headless>`, resolvable from the same namespace) and `PEERS` is completed at runtime from `$(POD_NAMESPACE)`
   */
  readonly namespace?: string;
}

