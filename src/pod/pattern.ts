import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KubernetesVersion, SidecarMode } from './sidecar-mode';

/**
 * A container design pattern that can be attached to a workload's Pod.
 *
 * A pattern is a plain object, so one instance can be reused across many
 * workloads. When attached, it receives a {@link PodPatternHost}, which is the
 * only thing it may touch.
 */
export interface IPodPattern {
  /**
   * The pattern's name within the Pod. It names the pattern's containers and
   * its construct scope (and so its ConfigMaps), so it must be unique among the
   * patterns of one workload and is part of the generated object names.
   */
  readonly name: string;

  /**
   * Contribute containers, volumes, env, ports, annotations and ConfigMaps to
   * the Pod through `host`. Called once per workload, in the order the patterns
   * were added.
   */
  attach(host: PodPatternHost): void;
}

/**
 * The Kubernetes kind of the workload a pattern is attached to.
 */
export enum WorkloadKind {
  /** A stateless service. */
  DEPLOYMENT = 'Deployment',
  /** A stateful service. */
  STATEFUL_SET = 'StatefulSet',
  /** A node agent. */
  DAEMON_SET = 'DaemonSet',
  /** A run-to-completion task. */
  JOB = 'Job',
  /** A scheduled run-to-completion task. */
  CRON_JOB = 'CronJob',
}

/**
 * A volume mount, referring to a Pod volume by name.
 */
export interface NamedMount {
  /**
   * Name of a shared volume (see `PodPatternHost.sharedVolume`) or of a
   * volume claim template of a stateful service.
   */
  readonly volume: string;

  /** Absolute path inside the container. */
  readonly path: string;

  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;

  /**
   * Mount only this sub-path of the volume.
   * @default - the whole volume
   */
  readonly subPath?: string;
}

/**
 * An environment variable of a container that a pattern adds (an init step,
 * an exporter).
 */
export interface EnvVar {
  /** Variable name. */
  readonly name: string;

  /**
   * Value: a literal, or for anything secret a reference to an existing
   * Secret key, e.g. `SecretKeyRef.of(this, 'db-credentials', 'password').envValue()`.
   */
  readonly value: kplus.EnvValue;
}

/**
 * Options for a container that a pattern adds to the Pod.
 */
export interface PatternContainerOptions extends kplus.ContainerProps {
  /**
   * Mounts of named Pod volumes (shared volumes or volume claim templates).
   * @default - none
   */
  readonly namedMounts?: NamedMount[];
}

/**
 * Options for a shared volume.
 */
export interface SharedVolumeOptions {
  /**
   * Storage medium of the emptyDir.
   * @default kplus.EmptyDirMedium.DEFAULT (node disk)
   */
  readonly medium?: kplus.EmptyDirMedium;

  /**
   * Size limit of the emptyDir. When two patterns ask for the same volume with
   * different options, the attach fails.
   * @default - no limit
   */
  readonly sizeLimit?: Size;
}

/**
 * A port a pattern declares on one of its containers.
 */
export interface PatternPort {
  /** Port name (IANA service name, at most 15 characters). */
  readonly name: string;

  /** Container port number. */
  readonly port: number;

  /**
   * Expose this port on the workload's Service (when it has one).
   * @default false - pattern ports stay Pod-internal unless asked for
   */
  readonly expose?: boolean;

  /**
   * Protocol.
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
}

/**
 * A file of a ConfigMap that a pattern renders.
 */
export interface ConfigFile {
  /** Key in the ConfigMap (the file name when mounted). */
  readonly key: string;

  /** File content. */
  readonly content: string;
}

/**
 * One key of a ConfigMap volume, shown at a path of its own.
 */
export interface ConfigVolumeItem {
  /** Key in the ConfigMap. */
  readonly key: string;

  /** Relative path of the file in the volume, e.g. "conf/app.yaml". */
  readonly path: string;

  /**
   * File mode bits, e.g. 0o400.
   * @default - the volume's `defaultMode`
   */
  readonly mode?: number;
}

/**
 * How a ConfigMap volume shows the ConfigMap's keys.
 */
export interface ConfigVolumeOptions {
  /**
   * Mode bits of the files, e.g. 0o400.
   * @default - 0o644 (Kubernetes' default)
   */
  readonly defaultMode?: number;

  /**
   * Show only these keys, each at its path. Keys not listed are not shown.
   * @default - every key, as a file named after it
   */
  readonly items?: ConfigVolumeItem[];
}

/**
 * A port of the Pod, as exposed by one of its containers.
 */
export interface PodPort {
  /** Name of the container that declares the port. */
  readonly containerName: string;
  /** Port number. */
  readonly port: number;
  /**
   * Port name.
   * @default - unnamed
   */
  readonly name?: string;
  /** Protocol. */
  readonly protocol: kplus.Protocol;
  /** Whether the workload's Service exposes it. */
  readonly exposed: boolean;
}

/**
 * What a pattern may touch when it is attached to a workload's Pod.
 *
 * Workloads create one host per attached pattern; a pattern never sees the
 * workload itself, nor other patterns.
 */
export abstract class PodPatternHost {
  /** How sidecars are rendered. */
  public abstract readonly sidecarMode: SidecarMode;

  /** The Kubernetes version the manifests target. */
  public abstract readonly kubernetesVersion: KubernetesVersion;

  /** The kind of the workload this pattern is attached to. */
  public abstract readonly workloadKind: WorkloadKind;

  /** Name of the workload's main (app) container. */
  public abstract readonly mainContainerName: string;

  /** The ports of the main container, in declaration order. */
  public abstract readonly mainPorts: PodPort[];

  /**
   * The numeric user the main container runs as: its own
   * `securityContext.user`, else the Pod's.
   * @default - undefined when neither sets one (the image's USER decides)
   */
  public abstract readonly mainUser?: number;

  /**
   * The paths at which the main container mounts volumes so far, in mount
   * order (volumes mounted later, e.g. by later patterns, are not included).
   */
  public abstract readonly mainMountPaths: string[];

  /**
   * Add an init step: it runs to completion before the app starts, after the
   * init steps of earlier patterns. `options.name` is required.
   */
  public abstract addInitContainer(options: PatternContainerOptions): kplus.Container;

  /**
   * Add a sidecar that runs alongside the app for the Pod's lifetime.
   * In `SidecarMode.NATIVE` it becomes an init container with
   * `restartPolicy: Always`, started before every init step.
   * `options.name` is required. Unless given, resources default to
   * `SecureDefaults.sidecarResources()` and the security context to
   * `SecureDefaults.containerSecurityContext()`.
   */
  public abstract addSidecar(options: PatternContainerOptions): kplus.Container;

  /**
   * Get the shared emptyDir volume with this name, creating it on first use.
   * Two patterns asking for the same name share one volume.
   */
  public abstract sharedVolume(name: string, options?: SharedVolumeOptions): kplus.Volume;

  /**
   * Mount a named Pod volume (shared volume or volume claim template) into the
   * main container.
   */
  public abstract mountOnMain(mount: NamedMount): void;

  /**
   * Add an environment variable to the main container. Fails when the
   * variable is already set.
   */
  public abstract addMainEnv(name: string, value: kplus.EnvValue): void;

  /**
   * Declare a port of one of the pattern's containers.
   * Exposed on the workload's Service only when `port.expose` is true.
   */
  public abstract declarePort(containerName: string, port: PatternPort): void;

  /** Add an annotation to the Pod template. */
  public abstract addPodAnnotation(key: string, value: string): void;

  /**
   * Create a ConfigMap holding the pattern's rendered configuration, in the
   * pattern's own construct scope. Its content is hashed into a Pod template
   * annotation, so a change rolls the Pods.
   */
  public abstract addConfigMap(id: string, files: ConfigFile[]): kplus.ConfigMap;

  /**
   * The Pod volume `volumeName` backed by a ConfigMap (one created with
   * `addConfigMap`, or one the pattern was given), created on first use.
   * Asking again for the same name and ConfigMap returns the same volume,
   * so several patterns can mount one ConfigMap. Once created, it can also be
   * mounted by name (`mountOnMain`, `namedMounts`).
   *
   * @param volumeName the Pod volume name
   * @param options file modes and key-to-path items; asking again for the same volume needs the same options
   */
  public abstract configMapVolume(configMap: kplus.IConfigMap, volumeName: string, options?: ConfigVolumeOptions): kplus.Volume;

  /**
   * Let the Pod's containers see and signal each other's processes
   * (`shareProcessNamespace: true`), e.g. for a sidecar that sends the app a
   * reload signal. Every container then also sees the others' environment
   * and files under `/proc`, so only patterns that need it turn it on.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/
   */
  public abstract enableProcessNamespaceSharing(): void;
}

/**
 * Configuration files mounted into a container from a ConfigMap (a `MountedConfig`,
 * or any other source a pattern such as the `ConfigReloader` watches).
 */
export interface IMountedConfig {
  /** The ConfigMap holding the files. */
  readonly configMap: kplus.IConfigMap;

  /** Name of the Pod volume the ConfigMap is mounted from. */
  readonly volumeName: string;

  /** Directory the files appear in. */
  readonly mountPath: string;

  /**
   * File modes and key-to-path items of the volume; whoever mounts the
   * volume too (a `ConfigReloader`) asks for it with these.
   * @default - every key as a file named after it, mode 0o644
   */
  readonly volumeOptions?: ConfigVolumeOptions;
}
