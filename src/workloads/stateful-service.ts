import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudget } from './disruption-budget';
import { IngressPolicyOptions, renderIngressPolicy } from './network-policy';
import { ServicePortBinder } from './service-ports';
import { ClaimRetention, ClaimRetentionPolicy, renderClaimTemplate, validateClaimTemplates, VolumeClaimTemplate } from './volume-claim-template';
import { PatternWorkload, PatternWorkloadProps } from './workload-base';
import { Endpoint, IEndpoint } from '../dependencies/endpoint';
import { resolveNamespace, serviceHost } from '../pod/cluster-dns';
import { PodPort, WorkloadKind } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertPort, assertUrlScheme } from '../pod/validators';

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
 * The optional client Service of a stateful service: one ClusterIP (or
 * other type) in front of every Ready member.
 */
export interface StatefulClientServiceOptions {
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
   * down. Rendered as `persistentVolumeClaimRetentionPolicy` (beta and on by
   * default in Kubernetes 1.27).
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
   * A client Service load-balancing over the Ready members, in addition to
   * the governing headless Service.
   * @default - none: clients use the headless Service
   */
  readonly clientService?: StatefulClientServiceOptions;

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

/** Env vars a stateful service sets on its main container. */
const IDENTITY_ENV = ['POD_NAME', 'POD_NAMESPACE', 'PEERS'];

/**
 * A stateful service: a StatefulSet whose members have a stable identity and
 * their own storage.
 *
 * - A governing headless Service gives every member a stable DNS name,
 *   `<statefulset>-<ordinal>.<headless>.<namespace>.svc.cluster.local`.
 * - `volumeClaimTemplates` give every member its own PersistentVolumeClaim.
 * - The main container gets its identity as env vars: `POD_NAME` (its
 *   stable name, e.g. `db-0`), `POD_NAMESPACE`, and `PEERS`, the
 *   comma-separated DNS names of all members in ordinal order.
 * - Members start in order (or in parallel), updates can be partitioned,
 *   and a PodDisruptionBudget never lets more than one member go down
 *   voluntarily.
 *
 * It is an `IEndpoint` (through the client Service if there is one, else the
 * headless Service), and each member is one too: `member(ordinal)`.
 */
export class StatefulService extends PatternWorkload implements IEndpoint {
  /**
   * The NetworkPolicy restricting ingress, when `ingressPolicy` was given.
   */
  public readonly ingressPolicy?: kplus.k8s.KubeNetworkPolicy;

  /** The StatefulSet. */
  public readonly statefulSet: kplus.StatefulSet;

  /** The governing headless Service (`clusterIP: None`). */
  public readonly headlessService: kplus.Service;

  /**
   * The client Service.
   * @default - undefined unless `clientService` was given
   */
  public readonly service?: kplus.Service;

  /** The PodDisruptionBudget, when there is one. */
  public readonly disruptionBudget?: kplus.k8s.KubePodDisruptionBudget;

  /** Number of members. */
  public readonly replicas: number;

  /**
   * URL scheme of the endpoints.
   * @default - none
   */
  public readonly scheme?: string;

  /**
   * The namespace used in DNS names.
   * @default - unknown: DNS names are namespace-relative
   */
  public readonly namespace?: string;

  private readonly claimSizeByName = new Map<string, string>();

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props);
    const templates = props.volumeClaimTemplates ?? [];
    this.validateProps(props, templates);
    this.replicas = props.replicas ?? 1;
    this.namespace = resolveNamespace(this, props.namespace);
    this.scheme = props.scheme;

    if ((props.container.ports ?? []).length === 0 && props.container.portNumber === undefined) {
      throw new ValidationError(this,
        'the main container declares no ports, but a StatefulService is reached through its governing headless Service, '
        + 'which needs at least one port. Fix: declare the port the app listens on (ports: [{ number: 5432, name: "db" }]).');
    }

    this.headlessService = new kplus.Service(this, 'Headless', { clusterIP: 'None' });
    if (props.publishNotReadyAddresses) {
      // part of the 1.27 Service schema, which cdk8s-plus-27 does not expose: set on the L1 object
      ApiObject.of(this.headlessService).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true));
    }

    const sc = props.container.securityContext;
    const fsGroup = props.fsGroup ?? (templates.length > 0 ? sc?.group ?? sc?.user : undefined);
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      service: this.headlessService,
      replicas: this.replicas,
      podManagementPolicy: props.podManagementPolicy,
      strategy: props.updateStrategy === StatefulUpdateStrategy.ON_DELETE
        ? kplus.StatefulSetUpdateStrategy.onDelete()
        : kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: props.partition ?? 0 }),
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      securityContext: fsGroup === undefined ? props.podSecurityContext : {
        fsGroup,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
        ...props.podSecurityContext,
      },
    });
    if (this.statefulSet.name.length > 52) {
      throw new ValidationError(this,
        `the StatefulSet name ${got(this.statefulSet.name)} has ${this.statefulSet.name.length} characters; Kubernetes derives the `
        + 'controller-revision-hash label of every member from it, which fails above 52 characters, so no member would start. '
        + 'Fix: shorten the chart name or the construct ids on the path to this StatefulService.');
    }
    this._setup(props, WorkloadKind.STATEFUL_SET, this.statefulSet, ['spec', 'template']);
    this.addIdentityEnv();

    if (props.clientService) {
      this.service = new kplus.Service(this, 'Service', {
        type: props.clientService.type ?? kplus.ServiceType.CLUSTER_IP,
        selector: this.statefulSet,
      });
    }
    const binders = [new ServicePortBinder(this, this.headlessService, 'headless Service', undefined, 'port')];
    if (this.service) binders.push(new ServicePortBinder(this, this.service, 'client Service', props.clientService?.port, 'clientService.port'));
    const bind = (p: PodPort) => binders.forEach(b => b.bind(p));
    this._composition.podPorts.forEach(bind);
    this._composition.onPortDeclared(bind);

    for (const t of templates) {
      this.claimSizeByName.set(t.name, t.size.asString());
      this._composition.declareClaim(t.name);
      this._composition.mount(this, this.mainContainer, { volume: t.name, path: t.mountPath });
    }
    if (templates.length > 0) this._composition.setSpecField('volumeClaimTemplates', templates.map(renderClaimTemplate));
    const retention = props.claimRetention;
    if (retention) {
      this._composition.setSpecField('persistentVolumeClaimRetentionPolicy', {
        whenDeleted: retention.whenDeleted ?? ClaimRetention.RETAIN,
        whenScaled: retention.whenScaled ?? ClaimRetention.RETAIN,
      });
    }

    const budget = props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
    this.assertAtMostOneDown(budget);
    budget._assertAllowsEviction(this, this.replicas, 'replica count');
    this.disruptionBudget = budget._render(this, 'DisruptionBudget', this.statefulSet);

    if (props.spreadAcrossNodes ?? this.replicas >= 2) {
      this.statefulSet.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: 100 });
    }
    if (props.ingressPolicy) {
      this.ingressPolicy = renderIngressPolicy(this, 'NetworkPolicy', props.ingressPolicy,
        () => this.statefulSet.matchLabels, () => this._composition.podPorts);
    }
    this._attachInitialPatterns(props.patterns);
  }

  /**
   * The DNS name clients use: the client Service's if there is one, else the
   * headless Service's (which resolves to every Ready member).
   * `<service>.<namespace>.svc.cluster.local`, or `<service>` when the
   * namespace is unknown.
   */
  public get host(): string {
    return serviceHost((this.service ?? this.headlessService).name, this.namespace);
  }

  /** The first port of the client Service if there is one, else the main container's first port. */
  public get port(): number {
    return (this.service ?? this.headlessService).port;
  }

  /** `scheme://host:port`, or `host:port` without a scheme. */
  public get url(): string {
    return Endpoint.urlOf(this.host, this.port, this.scheme);
  }

  /**
   * The stable DNS names of every member, in ordinal order:
   * `<statefulset>-<ordinal>.<headless>.<namespace>.svc.cluster.local`
   * (`<statefulset>-<ordinal>.<headless>` when the namespace is unknown).
   */
  public get memberHosts(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => this.memberHost(i, this.namespace));
  }

  /**
   * One member, as an endpoint: its stable DNS name and the main
   * container's first port. For clients that must reach a particular member
   * (e.g. the primary at ordinal 0).
   *
   * @param ordinal the member's ordinal, from 0 to replicas - 1
   */
  public member(ordinal: number): IEndpoint {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.replicas) {
      throw new ValidationError(this,
        `member ordinal must be an integer from 0 to ${this.replicas - 1} (got ${got(ordinal)}), because this StatefulService has `
        + `${this.replicas} replica${this.replicas === 1 ? '' : 's'}. Fix: use an ordinal below replicas, or raise replicas.`);
    }
    return Endpoint.of(this.memberHost(ordinal, this.namespace), this.headlessService.port, { scheme: this.scheme });
  }

  /** @internal */
  protected _claimSizes(): Map<string, string> {
    return new Map(this.claimSizeByName);
  }

  private memberHost(ordinal: number, namespace: string | undefined): string {
    const pod = `${this.statefulSet.name}-${ordinal}.${this.headlessService.name}`;
    return namespace ? serviceHost(pod, namespace) : pod;
  }

  private addIdentityEnv(): void {
    const main = this.mainContainer;
    for (const name of IDENTITY_ENV) {
      if (name in main.env.variables) {
        throw new ValidationError(this,
          `env var ${name} is set on the main container, but a StatefulService sets it itself (POD_NAME is the member's stable `
          + 'name, POD_NAMESPACE its namespace, PEERS the DNS names of all members). Fix: remove it from container.envVariables.');
      }
    }
    main.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
    main.env.addVariable('POD_NAMESPACE', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE));
    // POD_NAMESPACE is declared before PEERS, so the kubelet can expand it there
    const peers = Array.from({ length: this.replicas }, (_, i) => this.memberHost(i, this.namespace ?? '$(POD_NAMESPACE)'));
    main.env.addVariable('PEERS', kplus.EnvValue.fromValue(peers.join(',')));
  }

  private assertAtMostOneDown(budget: DisruptionBudget): void {
    if (!budget.enabled) return;
    const max = budget.maxUnavailableCount;
    const min = budget.minAvailableCount;
    if (max !== undefined && max > 1) {
      throw new ValidationError(this,
        `disruptionBudget maxUnavailable ${max} would let voluntary disruptions take ${max} members down at once, but a `
        + 'StatefulService never loses more than one member at a time (quorum, replication). '
        + 'Fix: use DisruptionBudget.maxUnavailable(1), or DisruptionBudget.none() to manage disruptions yourself.');
    }
    if (min !== undefined && min < this.replicas - 1) {
      throw new ValidationError(this,
        `disruptionBudget minAvailable ${min} would let voluntary disruptions take ${this.replicas - min} of ${this.replicas} `
        + 'members down at once, but a StatefulService never loses more than one member at a time (quorum, replication). '
        + `Fix: use DisruptionBudget.maxUnavailable(1) (or minAvailable(${this.replicas - 1})).`);
    }
  }

  private validateProps(props: StatefulServiceProps, templates: VolumeClaimTemplate[]): void {
    const fail = (msg: string): never => { throw new ValidationError(this, msg); };
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) {
      fail(`replicas must be an integer >= 0 (got ${got(props.replicas)}). Fix: use the number of members (0 stops them all and keeps their claims).`);
    }
    if (templates.length === 0 && !props.ephemeral) {
      fail(`a StatefulService needs per-replica storage (got volumeClaimTemplates ${got(props.volumeClaimTemplates)}). `
        + 'Fix: add volumeClaimTemplates: [{ name: "data", size: Size.gibibytes(10), mountPath: "/var/lib/data" }], or set '
        + 'ephemeral: true if the members keep no data across restarts and only need a stable identity.');
    }
    if (templates.length > 0 && props.ephemeral) {
      fail(`ephemeral: true contradicts the ${templates.length} volumeClaimTemplates given. Fix: drop one of them.`);
    }
    validateClaimTemplates(this, templates);
    if (props.claimRetention && templates.length === 0) {
      fail('claimRetention was given, but there are no volumeClaimTemplates whose claims it could keep or delete. Fix: drop claimRetention.');
    }
    if (replicas === 0 && props.claimRetention?.whenScaled === ClaimRetention.DELETE) {
      fail('replicas 0 with claimRetention.whenScaled DELETE would delete the claims, and so the data, of every member. '
        + 'Fix: keep whenScaled RETAIN to stop the members temporarily, or delete the StatefulService to remove it.');
    }
    const partition = props.partition;
    if (partition !== undefined) {
      if (props.updateStrategy === StatefulUpdateStrategy.ON_DELETE) {
        fail(`partition (${partition}) only applies to StatefulUpdateStrategy.ROLLING_UPDATE (got ON_DELETE). Fix: drop one of them.`);
      }
      if (!Number.isInteger(partition) || partition < 0 || partition > replicas) {
        fail(`partition must be an integer from 0 to replicas (${replicas}) (got ${got(partition)}). Members with an ordinal >= `
          + 'partition are updated. Fix: use replicas to hold back every member, 0 to update all.');
      }
    }
    if (props.clientService?.port !== undefined) assertPort(this, 'clientService.port', props.clientService.port);
    if (props.fsGroup !== undefined && (!Number.isInteger(props.fsGroup) || props.fsGroup < 0)) {
      fail(`fsGroup must be a numeric group id >= 0 (got ${got(props.fsGroup)}). Fix: use the group the app's files belong to, e.g. 999.`);
    }
    if (props.scheme !== undefined) assertUrlScheme(this, 'scheme', props.scheme);
  }
}
