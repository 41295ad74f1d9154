import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudget } from './disruption-budget';
import { IngressPolicyOptions, renderIngressPolicy } from './network-policy';
import { nameProps, serviceObjectName, workloadObjectName } from './object-names';
import { ServicePortBinder } from './service-ports';
import { PatternWorkload, PatternWorkloadProps, POD_TEMPLATE_PATH } from './workload-base';
import { Endpoint, IEndpoint } from '../dependencies/endpoint';
import { resolveNamespace, serviceHost } from '../pod/cluster-dns';
import { WorkloadKind } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { assertPort, assertUrlScheme } from '../pod/validators';
import { VolumeSource } from '../pod/volume-sources';

/**
 * Horizontal autoscaling of a stateless service.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface AutoscalingOptions {
  /**
   * Fewest replicas.
   * @default 2
   */
  readonly minReplicas?: number;

  /** Most replicas. */
  readonly maxReplicas: number;

  /**
   * Target average CPU utilization, in percent of the CPU request. Values
   * above 100 are valid: Pods may then use more than their request (up to
   * their limit) before the HPA adds replicas.
   * @default - 70 unless a memory target is given
   */
  readonly cpuTargetUtilization?: number;

  /**
   * Target average memory utilization, in percent of the memory request
   * (above 100 is valid, as for CPU).
   * @default - no memory target
   */
  readonly memoryTargetUtilization?: number;
}

/**
 * The Service in front of a stateless service.
 */
export interface StatelessServiceExposeOptions {
  /**
   * The Service name, a DNS-1035 label (e.g. "nginx").
   * @default - the StatelessService's `name` when given, else derived from the construct path
   */
  readonly name?: string;

  /**
   * Service type.
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly type?: kplus.ServiceType;

  /**
   * The port the Service listens on for the main container's first port;
   * traffic is forwarded to the container port. Lets clients use port 80
   * while a non-root container listens on 8080. Every other port is exposed
   * under its container port number.
   * @default - the container port
   */
  readonly port?: number;
}

/**
 * Props of a {@link StatelessService}.
 */
export interface StatelessServiceProps extends PatternWorkloadProps {
  /**
   * Number of replicas. Not allowed together with `autoscaling`: the HPA
   * owns the count then, and the Deployment renders none.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Horizontal autoscaling.
   * @default - no HorizontalPodAutoscaler
   */
  readonly autoscaling?: AutoscalingOptions;

  /**
   * The PodDisruptionBudget.
   * @default - DisruptionBudget.maxUnavailable(1) when the service runs (or autoscales from) 2 or more replicas, none otherwise
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
   * Rolling-update settings.
   * @default - rolling update with maxSurge 25% and maxUnavailable 25%
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
   */
  readonly strategy?: kplus.DeploymentStrategy;

  /**
   * The Service. It exposes the main container's ports, and pattern ports
   * only when the pattern was asked to expose them.
   * @default - a ClusterIP Service when the main container has ports, none otherwise
   */
  readonly service?: StatelessServiceExposeOptions;

  /**
   * URL scheme of the service's endpoint (see `url`), e.g. "http".
   * @default - none: a plain TCP endpoint
   */
  readonly scheme?: string;

  /**
   * The namespace the manifests are applied to, when the chart does not set
   * one (e.g. the destination namespace of a GitOps application). Only used
   * to build the fully qualified DNS name of the Service; it must agree with
   * the chart's namespace when both are set.
   * @default - the chart's namespace; when neither is known, `host` is the bare Service name, which resolves only from the same namespace
   */
  readonly namespace?: string;
}

/**
 * A stateless service: a Deployment of interchangeable replicas with only
 * ephemeral storage, a Service, an optional HorizontalPodAutoscaler, and a
 * PodDisruptionBudget.
 *
 * It is an `IEndpoint`: other workloads `connect` to it through its Service
 * (`host` is the Service's DNS name, `port` its first port).
 *
 * For per-replica persistent storage or a stable network identity, use
 * `StatefulService`.
 */
export class StatelessService extends PatternWorkload implements IEndpoint {
  /**
   * The NetworkPolicy restricting ingress, when `ingressPolicy` was given.
   */
  public readonly ingressPolicy?: kplus.k8s.KubeNetworkPolicy;

  /** The Deployment. */
  public readonly deployment: kplus.Deployment;

  /**
   * The Service in front of the replicas.
   * @default - undefined when the main container has no ports
   */
  public readonly service?: kplus.Service;

  /** The HorizontalPodAutoscaler, when autoscaling. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;

  /** The PodDisruptionBudget, when there is one. */
  public readonly disruptionBudget?: kplus.k8s.KubePodDisruptionBudget;

  /**
   * URL scheme of the endpoint.
   * @default - none
   */
  public readonly scheme?: string;

  /**
   * The namespace used in DNS names.
   * @default - unknown: DNS names are namespace-relative
   */
  public readonly namespace?: string;

  constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id, props);
    this.validateProps(props);
    this.namespace = resolveNamespace(this, props.namespace);
    this.scheme = props.scheme;
    const name = workloadObjectName(this, props.name);
    this.deployment = new kplus.Deployment(this, 'Resource', {
      ...nameProps(name),
      // with an autoscaler the HPA owns the replica count, so none is fixed here
      replicas: props.autoscaling ? undefined : (props.replicas ?? 2),
      strategy: props.strategy,
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      securityContext: props.podSecurityContext,
    });
    this._setup(props, WorkloadKind.DEPLOYMENT, this.deployment, POD_TEMPLATE_PATH);

    if (this.mainContainer.ports.length > 0) {
      if (props.service?.type === kplus.ServiceType.EXTERNAL_NAME) {
        // cdk8s-plus would only fail while writing, after other charts' files are written
        throw new ValidationError(this, `service.type ${got(props.service.type)} names an outside host and selects no Pods, so it `
          + 'cannot front this workload. Fix: use CLUSTER_IP, NODE_PORT or LOAD_BALANCER here, and ExternalService.fromHostname(...) '
          + 'for a service outside the cluster.');
      }
      this.service = new kplus.Service(this, 'Service', {
        ...nameProps(serviceObjectName(this, 'service.name', props.service?.name, name)),
        type: props.service?.type ?? kplus.ServiceType.CLUSTER_IP,
        selector: this.deployment,
      });
      const binder = new ServicePortBinder(this, this.service, 'Service', props.service?.port, 'service.port');
      for (const p of this._composition.podPorts) binder.bind(p);
      this._composition.onPortDeclared(p => binder.bind(p));
    } else if (props.service) {
      throw new ValidationError(this,
        'service options were given, but the main container declares no ports, so the Service would have nothing to expose. '
        + 'Fix: add ports to the container (e.g. portNumber: 8080) or drop the service option.');
    }

    const replicas = props.replicas ?? 2;
    if (props.autoscaling) {
      const a = props.autoscaling;
      const metrics: kplus.Metric[] = [];
      if (a.cpuTargetUtilization !== undefined || a.memoryTargetUtilization === undefined) {
        metrics.push(kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(a.cpuTargetUtilization ?? 70)));
      }
      if (a.memoryTargetUtilization !== undefined) {
        metrics.push(kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(a.memoryTargetUtilization)));
      }
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        target: this.deployment,
        minReplicas: a.minReplicas ?? 2,
        maxReplicas: a.maxReplicas,
        metrics,
      });
    }

    const minReplicas = props.autoscaling ? (props.autoscaling.minReplicas ?? 2) : replicas;
    const budget = props.disruptionBudget ?? (minReplicas >= 2 ? DisruptionBudget.maxUnavailable(1) : DisruptionBudget.none());
    budget._assertAllowsEviction(this, minReplicas, props.autoscaling ? 'minimum replica count' : 'replica count');
    this.disruptionBudget = budget._render(this, 'DisruptionBudget', this.deployment, this.kubernetesVersion);

    const maxReplicas = props.autoscaling ? props.autoscaling.maxReplicas : (props.replicas ?? 2);
    if (props.spreadAcrossNodes ?? maxReplicas >= 2) {
      this.deployment.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: 100 });
    }
    if (props.ingressPolicy) {
      this.ingressPolicy = renderIngressPolicy(this, 'NetworkPolicy', props.ingressPolicy,
        () => this.deployment.matchLabels, () => this._composition.podPorts);
    }
    this._attachInitialPatterns(props.patterns);
  }

  /** The DNS name of the Service: `<service>.<namespace>.svc.cluster.local`, or `<service>` when the namespace is unknown. */
  public get host(): string {
    return serviceHost(this.requireService().name, this.namespace);
  }

  /** The Service's first port: the main container's first port (or `service.port`). */
  public get port(): number {
    return this.requireService().port;
  }

  /** `scheme://host:port`, or `host:port` without a scheme. */
  public get url(): string {
    return Endpoint.urlOf(this.host, this.port, this.scheme);
  }

  private requireService(): kplus.Service {
    if (!this.service) {
      throw new ValidationError(this,
        'this StatelessService has no Service, because its main container declares no ports, so it cannot be used as an '
        + 'endpoint. Fix: declare the port the app listens on (ports: [{ number: 8080, name: "http" }]).');
    }
    return this.service;
  }

  /**
   * @internal
   * A StatelessService only has ephemeral storage; a volume whose source
   * cannot be read is refused, not assumed safe.
   */
  protected _kindProblems(): string[] {
    const errors: string[] = [];
    for (const { volume: v, source, rendered } of this._composition.volumeSources()) {
      if (source === VolumeSource.PERSISTENT_VOLUME_CLAIM) {
        errors.push(`volume "${v.name}" is backed by PersistentVolumeClaim ${got(rendered?.persistentVolumeClaim?.claimName)}, but a `
          + 'StatelessService only has ephemeral storage: its replicas are interchangeable and would all share (or fight over) '
          + 'one claim. Fix: use StatefulService with volumeClaimTemplates for per-replica storage.');
      } else if (source === undefined) {
        errors.push(`volume "${v.name}" has a source that cannot be read from the rendered Pod spec, so it cannot be checked to `
          + 'be ephemeral. Fix: declare scratch directories with writablePaths, or mount ConfigMaps and Secrets through the library.');
      } else if (!EPHEMERAL_SOURCES.has(source)) {
        errors.push(`volume "${v.name}" is a ${source} volume, but a StatelessService only has ephemeral storage `
          + `(${[...EPHEMERAL_SOURCES].join(', ')}): its replicas are interchangeable and may run on any node. `
          + 'Fix: use StatefulService for per-replica storage, or NodeAgent to read node paths.');
      }
    }
    return errors;
  }

  private validateProps(props: StatelessServiceProps): void {
    const fail = (msg: string) => { throw new ValidationError(this, msg); };
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
      fail(`replicas must be an integer >= 0 (got ${got(props.replicas)}). Fix: use 0 to scale to zero, or the number of replicas.`);
    }
    if (props.service?.port !== undefined) assertPort(this, 'service.port', props.service.port);
    if (props.scheme !== undefined) assertUrlScheme(this, 'scheme', props.scheme);
    const a = props.autoscaling;
    if (a) {
      const min = a.minReplicas ?? 2;
      if (!Number.isInteger(min) || min < 1) {
        fail(`autoscaling.minReplicas must be an integer >= 1 (got ${got(a.minReplicas)}). Fix: use 1 or more; an HPA cannot scale to zero.`);
      }
      if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < min) {
        fail(`autoscaling.maxReplicas (${got(a.maxReplicas)}) must be an integer >= minReplicas (${min}). Fix: raise maxReplicas or lower minReplicas.`);
      }
      if (props.replicas !== undefined) {
        fail(`replicas (${props.replicas}) and autoscaling were both given; with an autoscaler the HPA owns the replica count, `
          + 'and a fixed replicas would fight it on every apply. Fix: drop replicas and set autoscaling.minReplicas.');
      }
      for (const [k, v] of [['cpuTargetUtilization', a.cpuTargetUtilization], ['memoryTargetUtilization', a.memoryTargetUtilization]] as const) {
        if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
          fail(`autoscaling.${k} must be a whole percentage of the request, 1 or more (got ${got(v)}). Fix: use e.g. 70; a value `
            + 'above 100 is valid too, and lets each Pod use more than its request before the HPA adds replicas.');
        }
      }
    }
  }
}

/** Volume sources whose data lives and dies with the Pod. */
const EPHEMERAL_SOURCES = new Set(['emptyDir', 'configMap', 'secret', 'downwardAPI', 'projected', 'ephemeral', 'csi']);
