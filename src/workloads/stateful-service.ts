import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudget } from './disruption-budget';
import { renderIngressPolicy } from './network-policy';
import { assertMemberHostnames, nameProps, serviceObjectName, workloadObjectName } from './object-names';
import { ServicePortBinder } from './service-ports';
import { StatefulServiceProps, StatefulUpdateStrategy } from './stateful-service-props';
import { ClaimRetention, renderClaimTemplate, validateClaimTemplates, VolumeClaimTemplate } from './volume-claim-template';
import { PatternWorkload, POD_TEMPLATE_PATH } from './workload-base';
import { Endpoint, IEndpoint } from '../dependencies/endpoint';
import { resolveNamespace, serviceHost } from '../pod/cluster-dns';
import { PodPort, WorkloadKind } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertPort, assertUrlScheme } from '../pod/validators';
import { assertVersionGate, PVC_RETENTION_GATE } from '../pod/version-gate';

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
 * Its endpoints are distinct: `primary` (member 0, for writes), `member(i)`,
 * `allMembers` (the headless Service, for peer discovery) and `readEndpoint`
 * (the optional client Service, over the Ready members). The service itself
 * is an `IEndpoint` standing for its primary, so `connect(db)` reaches
 * member 0 and writes never land on a replica.
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

    const name = workloadObjectName(this, props.name);
    const headlessName = serviceObjectName(this, 'headlessServiceName', props.headlessServiceName, name);
    const clientName = props.clientService
      ? serviceObjectName(this, 'clientService.name', props.clientService.name, name === undefined ? undefined : `${name}-read`)
      : undefined;
    this.headlessService = new kplus.Service(this, 'Headless', { clusterIP: 'None', ...nameProps(headlessName) });
    if (props.publishNotReadyAddresses) {
      // part of the 1.27 Service schema, which cdk8s-plus-27 does not expose: set on the L1 object
      ApiObject.of(this.headlessService).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true));
    }

    const sc = props.container.securityContext;
    const fsGroup = props.fsGroup ?? (templates.length > 0 ? sc?.group ?? sc?.user : undefined);
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      ...nameProps(name),
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
    assertMemberHostnames(this, this.statefulSet.name, this.replicas);
    if (this.statefulSet.name.length > 52) {
      throw new ValidationError(this,
        `the StatefulSet name ${got(this.statefulSet.name)} has ${this.statefulSet.name.length} characters; Kubernetes derives the `
        + 'controller-revision-hash label of every member from it, which fails above 52 characters, so no member would start. '
        + 'Fix: choose a shorter name, or shorten the chart name or the construct ids on the path to this StatefulService.');
    }
    this._setup(props, WorkloadKind.STATEFUL_SET, this.statefulSet, POD_TEMPLATE_PATH);
    this.addIdentityEnv();

    if (props.clientService) {
      this.service = new kplus.Service(this, 'Service', {
        ...nameProps(clientName),
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
    this.disruptionBudget = budget._render(this, 'DisruptionBudget', this.statefulSet, this.kubernetesVersion);

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
   * The DNS name `connect` uses: the primary's, member 0's stable name (see
   * `primary`). Writes to a replicated database must reach the primary; use
   * `readEndpoint` for reads and `allMembers` for peer discovery.
   */
  public get host(): string {
    return this.memberHost(0, this.namespace);
  }

  /** The main container's first port (the port of every member). */
  public get port(): number {
    return this.headlessService.port;
  }

  /** `scheme://host:port`, or `host:port` without a scheme. */
  public get url(): string {
    return Endpoint.urlOf(this.host, this.port, this.scheme);
  }

  /**
   * The primary: member 0, by its stable DNS name
   * `<statefulset>-0.<headless>.<namespace>.svc.cluster.local`, on the main
   * container's first port. Member 0 is the first to start and the last to
   * stop, so a replicated database conventionally makes it the primary (the
   * writer). At `replicas: 0` the name exists but nothing answers it.
   */
  public get primary(): IEndpoint {
    return Endpoint.of(this.memberHost(0, this.namespace), this.headlessService.port, { scheme: this.scheme });
  }

  /**
   * The whole set, through the governing headless Service: its DNS name
   * resolves to the address of every Ready member (every member with
   * `publishNotReadyAddresses`). For peer discovery and for clients that
   * spread connections themselves; never for writes to a single-writer
   * database.
   */
  public get allMembers(): IEndpoint {
    return Endpoint.of(serviceHost(this.headlessService.name, this.namespace), this.headlessService.port, { scheme: this.scheme });
  }

  /**
   * The read endpoint: the client Service (`clientService`), a ClusterIP
   * load-balancing over the Ready members, on its first port.
   */
  public get readEndpoint(): IEndpoint {
    if (!this.service) {
      throw new ValidationError(this,
        'readEndpoint was used, but this StatefulService has no read Service (got clientService undefined). '
        + 'Fix: set clientService: { name: "db-read" }, or connect to primary or allMembers.');
    }
    return Endpoint.of(serviceHost(this.service.name, this.namespace), this.service.port, { scheme: this.scheme });
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
   * container's first port. For clients that must reach a particular member.
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
    if (props.claimRetention) assertVersionGate(this, PVC_RETENTION_GATE, this.kubernetesVersion);
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
