import { got, ValidationError } from './validation-error';

/**
 * How sidecar containers are rendered into the Pod.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export enum SidecarMode {
  /**
   * Sidecars are ordinary entries of `spec.containers`. They start together
   * with the app, in no guaranteed order, and a Job with such a sidecar never
   * completes. Works on every Kubernetes version.
   */
  CLASSIC = 'CLASSIC',

  /**
   * Sidecars are rendered as `spec.initContainers` with `restartPolicy: Always`
   * (Kubernetes >= 1.29). They start before the init steps and the app, stop
   * after the app, and do not keep a Job from completing.
   */
  NATIVE = 'NATIVE',
}

/**
 * The Kubernetes version the synthesized manifests target.
 *
 * The version decides which features may be rendered, e.g. native sidecars
 * need 1.29 or later.
 */
export class KubernetesVersion {
  /** Kubernetes 1.27, the version cdk8s-plus-27 models. */
  public static readonly V1_27 = new KubernetesVersion(1, 27);
  /** Kubernetes 1.28. */
  public static readonly V1_28 = new KubernetesVersion(1, 28);
  /** Kubernetes 1.29, the first version with native sidecars on by default. */
  public static readonly V1_29 = new KubernetesVersion(1, 29);
  /** Kubernetes 1.30. */
  public static readonly V1_30 = new KubernetesVersion(1, 30);
  /** Kubernetes 1.31. */
  public static readonly V1_31 = new KubernetesVersion(1, 31);

  /** The minimum version at which native sidecars may be used. */
  public static readonly NATIVE_SIDECARS_MINIMUM = KubernetesVersion.V1_29;

  /**
   * Any version, written as "1.N".
   */
  public static of(version: string): KubernetesVersion {
    const m = /^1\.(\d+)$/.exec(version);
    if (!m) {
      throw new ValidationError('KubernetesVersion.of', `expected a version like "1.29" (got ${got(version)}). `
        + 'Fix: give the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29").');
    }
    return new KubernetesVersion(1, Number(m[1]));
  }

  private constructor(
    /** Major version, always 1. */
    public readonly major: number,
    /** Minor version. */
    public readonly minor: number) {}

  /** "1.N". */
  public get version(): string {
    return `${this.major}.${this.minor}`;
  }

  /** True when this version is `other` or newer. */
  public isAtLeast(other: KubernetesVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }
}
