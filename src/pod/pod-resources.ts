import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * An upper bound for the resources one Pod may request, e.g. the allocatable
 * capacity of the smallest node the Pod should fit on.
 */
export interface ResourceBudget {
  /**
   * Largest CPU request the Pod may total.
   * @default - not checked
   */
  readonly cpu?: kplus.Cpu;

  /**
   * Largest memory request the Pod may total.
   * @default - not checked
   */
  readonly memory?: Size;
}

/**
 * The resources the scheduler reserves for one Pod.
 *
 * Computed with the kubelet's arithmetic for init containers and native
 * sidecars: init steps run one at a time (each alongside the native sidecars
 * started before it), then the app containers run together with every native
 * sidecar, so the Pod needs
 * `max(max over init steps of (step + sidecars started before it), sum(app) + sum(native sidecars))`.
 * With no native sidecars this is `max(max(init), sum(app))`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers
 */
export interface PodResourceTotals {
  /** Effective CPU request of the Pod, in millicores. */
  readonly cpuRequestMillis: number;
  /** Effective memory request of the Pod, in mebibytes. */
  readonly memoryRequestMebibytes: number;
  /**
   * Effective CPU limit of the Pod, in millicores.
   * @default - unbounded, because some container has no CPU limit
   */
  readonly cpuLimitMillis?: number;
  /**
   * Effective memory limit of the Pod, in mebibytes.
   * @default - unbounded, because some container has no memory limit
   */
  readonly memoryLimitMebibytes?: number;
}
