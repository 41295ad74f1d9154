import * as kplus from 'cdk8s-plus-27';
import { EnvVar, NamedMount } from '../pod/pattern';

/**
 * What a container you describe yourself (an `InitStep` or a `Sidecar`) runs
 * and mounts. The props of both patterns extend it.
 */
export interface CustomContainerProps {
  /**
   * Name of the pattern and of its container. Must be unique among the
   * patterns and containers of the workload.
   */
  readonly name: string;

  /** Container image, pinned to a version (a tag other than `latest`, or a digest). */
  readonly image: string;

  /**
   * When the kubelet pulls the image.
   * @default - ImagePullPolicy.IF_NOT_PRESENT, as the image is pinned
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * Entrypoint of the container.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];

  /**
   * Arguments of the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];

  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly env?: EnvVar[];

  /**
   * Working directory of the container.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;

  /**
   * Volumes the container mounts, by name.
   * @default - none
   */
  readonly mounts?: NamedMount[];

  /**
   * Volumes mounted into the main container, by name: typically the volume
   * this container fills (a downloaded artifact, a checked-out repository),
   * so that the app finds the result.
   * @default - none
   */
  readonly mainMounts?: NamedMount[];

  /**
   * Names of the shared emptyDir volumes this container creates, or joins
   * when another pattern created them first. Volumes named in `mounts` or
   * `mainMounts` but not listed here must already exist in the Pod, e.g. a
   * volume claim template of a stateful service.
   * @default - every volume named in `mounts` and `mainMounts`
   */
  readonly sharedVolumes?: string[];

  /**
   * Numeric user (and group) the container runs as, with the restricted
   * security context of `SecureDefaults.containerSecurityContext()`
   * (non-root, read-only root filesystem, no capabilities); it can write
   * only to the volumes it mounts.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;
}
