import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudget } from './disruption-budget';
import { PatternWorkload, PatternWorkloadProps } from './workload-base';
import { PodPort, WorkloadKind } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';

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
   * Target average CPU utilization, in percent of the CPU request.
   * @default - 70 unless a memory target is given
   */
  readonly cpuTargetUtilization?: number;

  /**
   * Target average memory utilization, in percent of the memory request.
   * @default - no memory target
   */
  readonly memoryTargetUtilization?: number;
}

/**
 * The Service in front of a stateless service.
 */
export interface StatelessServiceExposeOptions {
  /**
   * Service type.
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly type?: kplus.ServiceType;
}

/**
 * Props of a {@link StatelessService}.
 */
export interface StatelessServiceProps extends PatternWorkloadProps {
  /**
   * Number of replicas. Not rendered when `autoscaling` is set (the HPA owns it).
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
   * @default - DisruptionBudget.maxUnavailable(1) when the service runs 2 or more replicas (or autoscales), none otherwise
   */
  readonly disruptionBudget?: DisruptionBudget;

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
}

/**
 * A stateless service: a Deployment of interchangeable replicas with only
 * ephemeral storage, a Service, an optional HorizontalPodAutoscaler, and a
 * PodDisruptionBudget.
 *
 * For per-replica persistent storage or a stable network identity, use
 * `StatefulService`.
 */
export class StatelessService extends PatternWorkload {
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

  constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id, props);
    this.validateProps(props);
    this.deployment = new kplus.Deployment(this, 'Resource', {
      replicas: props.replicas ?? 2,
      strategy: props.strategy,
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });
    this._setup(props, WorkloadKind.DEPLOYMENT, this.deployment, ['spec', 'template']);

    if (this.mainContainer.ports.length > 0) {
      this.service = new kplus.Service(this, 'Service', {
        type: props.service?.type ?? kplus.ServiceType.CLUSTER_IP,
        selector: this.deployment,
      });
      for (const p of this._composition.podPorts) this.bindPort(p);
      this._composition.onPortDeclared(p => this.bindPort(p));
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
    if (budget.enabled) {
      if (budget.minAvailableCount !== undefined && budget.minAvailableCount >= minReplicas) {
        throw new ValidationError(this,
          `disruptionBudget minAvailable ${budget.minAvailableCount} is >= the ${props.autoscaling ? 'minimum ' : ''}replica count `
          + `${minReplicas}, which would block every voluntary eviction (node drains and cluster upgrades hang). `
          + `Fix: use DisruptionBudget.maxUnavailable(1) or a minAvailable below ${minReplicas}.`);
      }
      if (budget.maxUnavailableCount !== undefined && budget.maxUnavailableCount < 1) {
        throw new ValidationError(this,
          `disruptionBudget maxUnavailable must be >= 1 (got ${budget.maxUnavailableCount}); 0 would block every voluntary eviction. `
          + 'Fix: use DisruptionBudget.maxUnavailable(1).');
      }
      if (budget.minAvailableCount !== undefined && budget.minAvailableCount < 0) {
        throw new ValidationError(this, `disruptionBudget minAvailable must be >= 0 (got ${budget.minAvailableCount}).`);
      }
      this.disruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        spec: {
          minAvailable: budget.minAvailableCount !== undefined ? kplus.k8s.IntOrString.fromNumber(budget.minAvailableCount) : undefined,
          maxUnavailable: budget.maxUnavailableCount !== undefined ? kplus.k8s.IntOrString.fromNumber(budget.maxUnavailableCount) : undefined,
          selector: Lazy.any({ produce: () => ({ matchLabels: this.deployment.matchLabels }) }),
        },
      });
    }

    this.node.addValidation({ validate: () => this.checkEphemeralOnly() });
    this._attachInitialPatterns(props.patterns);
  }

  private bindPort(p: PodPort): void {
    if (!this.service || !p.exposed) return;
    const multi = this._composition.podPorts.filter(x => x.exposed).length > 1;
    if (multi && !p.name) {
      throw new ValidationError(this,
        `port ${p.port} of container "${p.containerName}" has no name, but the Service exposes several ports and Kubernetes `
        + 'requires every port of a multi-port Service to be named. Fix: name the port (ports: [{ number, name: "http" }]).');
    }
    this.service.bind(p.port, { name: p.name, targetPort: p.port, protocol: p.protocol });
  }

  private checkEphemeralOnly(): string[] {
    const errors: string[] = [];
    const volumes = new Set<kplus.Volume>(this.deployment.volumes);
    for (const c of [...this.deployment.initContainers, ...this.deployment.containers]) c.mounts.forEach(m => volumes.add(m.volume));
    for (const v of volumes) {
      const kube = (v as any)._toKube?.();
      if (kube?.persistentVolumeClaim) {
        errors.push(`volume "${v.name}" is backed by PersistentVolumeClaim "${kube.persistentVolumeClaim.claimName}", but a `
          + 'StatelessService only has ephemeral storage: its replicas are interchangeable and would all share (or fight over) '
          + 'one claim. Fix: use StatefulService with volumeClaimTemplates for per-replica storage.');
      }
    }
    return errors;
  }

  private validateProps(props: StatelessServiceProps): void {
    const fail = (msg: string) => { throw new ValidationError(this, msg); };
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
      fail(`replicas must be an integer >= 0 (got ${got(props.replicas)}). Fix: use 0 to scale to zero, or the number of replicas.`);
    }
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
        if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100)) {
          fail(`autoscaling.${k} must be a percentage between 1 and 100 (got ${got(v)}).`);
        }
      }
    }
  }
}
