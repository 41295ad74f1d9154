import { IEndpoint } from '../dependencies/endpoint';
import { IPodPattern, WorkloadKind } from '../pod/pattern';
import { SidecarMode } from '../pod/sidecar-mode';

/**
 * @internal
 * The read-only view of one workload's Pod that the diagrams are drawn from.
 * It is built from the model (`PatternWorkload._podView()`), never from
 * rendered YAML, and holds plain values only: nothing in it can change the
 * workload.
 */
export interface PodView {
  /** The workload's construct path below its chart, e.g. "web" or "shop/cart". */
  readonly id: string;
  /** The Kubernetes kind of the workload. */
  readonly kind: WorkloadKind;
  /** The workload object's name in the manifests. */
  readonly objectName: string;
  /** How many Pods run, in words ("3 replicas", "one per node", "every day at 03:00"), when known. */
  readonly scale?: string;
  readonly sidecarMode: SidecarMode;
  /** Name of the main (app) container. */
  readonly mainContainer: string;
  /** Init steps in run order, then the app container, then sidecars in the order they were added. */
  readonly containers: ContainerView[];
  /** Every Pod volume, and every per-replica claim, sorted by name. */
  readonly volumes: VolumeView[];
  /** The Services that select the Pods, in the order they were created. */
  readonly services: ServiceView[];
  /** The endpoints the app was connected to with `connect()`, in the order connected. */
  readonly connections: ConnectionView[];
  /** The attached patterns, in order (they may describe links of their own containers). */
  readonly patterns: IPodPattern[];
}

/** @internal what a container is for. */
export enum ContainerViewRole {
  INIT = 'init',
  APP = 'app',
  SIDECAR = 'sidecar',
  NATIVE_SIDECAR = 'native-sidecar',
}

/** @internal one container of the Pod. */
export interface ContainerView {
  readonly name: string;
  readonly role: ContainerViewRole;
  readonly image: string;
  /** The container's ports, in declaration order. */
  readonly ports: PortView[];
  /** The container's volume mounts, in mount order. */
  readonly mounts: MountView[];
  /** Environment read from ConfigMaps and Secrets, in declaration order. */
  readonly envRefs: EnvRefView[];
}

/** @internal a container port. */
export interface PortView {
  readonly port: number;
  readonly name?: string;
  readonly protocol: string;
}

/** @internal a volume mount. */
export interface MountView {
  readonly volume: string;
  readonly path: string;
  readonly readOnly: boolean;
}

/** @internal where environment variables come from. */
export enum EnvSourceKind {
  CONFIG_MAP = 'ConfigMap',
  SECRET = 'Secret',
}

/** @internal environment read from a ConfigMap or a Secret. */
export interface EnvRefView {
  readonly source: EnvSourceKind;
  /** The ConfigMap's or Secret's name. */
  readonly objectName: string;
  /** The variable; undefined for `envFrom` (every key of the object). */
  readonly variable?: string;
  /** The key read; undefined for `envFrom`. */
  readonly key?: string;
}

/** @internal what backs a volume. */
export enum VolumeSourceKind {
  EMPTY_DIR = 'emptyDir',
  CONFIG_MAP = 'ConfigMap',
  SECRET = 'Secret',
  CLAIM_TEMPLATE = 'volumeClaimTemplate',
  PERSISTENT_VOLUME_CLAIM = 'PersistentVolumeClaim',
  HOST_PATH = 'hostPath',
  OTHER = 'other',
}

/** @internal a Pod volume. */
export interface VolumeView {
  readonly name: string;
  readonly source: VolumeSourceKind;
  /**
   * The object or place behind it: the ConfigMap's, Secret's or claim's name,
   * the node path; undefined for an emptyDir.
   */
  readonly reference?: string;
  /** Size limit of an emptyDir, or requested size of a claim ("64Mi"). */
  readonly size?: string;
}

/** @internal a Service selecting the Pods. */
export interface ServiceView {
  readonly name: string;
  /** ClusterIP, NodePort, LoadBalancer, or "headless". */
  readonly type: string;
  readonly ports: ServicePortView[];
}

/** @internal one port of a Service. */
export interface ServicePortView {
  readonly port: number;
  readonly targetPort: number;
  readonly name?: string;
}

/** @internal an endpoint the app was connected to. */
export interface ConnectionView {
  /** The env prefix: the app reads `<prefix>_HOST`, `<prefix>_PORT` and `<prefix>_URL`. */
  readonly envPrefix: string;
  readonly endpoint: IEndpoint;
  /** Name of the init step that waits for the endpoint, if one was asked for. */
  readonly waitStep?: string;
}
