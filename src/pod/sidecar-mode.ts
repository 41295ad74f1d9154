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
 * The Kubernetes version the synthesized manifests target: 1.27 to 1.34.
 *
 * The version decides which features may be rendered (native sidecars need
 * 1.29, PVC retention 1.32, ...; see docs/kubernetes-versions.md) and the
 * default sidecar mode (NATIVE from 1.33, CLASSIC below).
 */
export class KubernetesVersion {
  /** Kubernetes 1.27, the version cdk8s-plus-27 models, and the default target. */
  public static readonly V1_27 = new KubernetesVersion(1, 27);
  /** Kubernetes 1.28. */
  public static readonly V1_28 = new KubernetesVersion(1, 28);
  /** Kubernetes 1.29, the first version with native sidecars on by default (beta). */
  public static readonly V1_29 = new KubernetesVersion(1, 29);
  /** Kubernetes 1.30. */
  public static readonly V1_30 = new KubernetesVersion(1, 30);
  /** Kubernetes 1.31: Job pod failure policies and the PDB unhealthy pod eviction policy are GA. */
  public static readonly V1_31 = new KubernetesVersion(1, 31);
  /** Kubernetes 1.32: StatefulSet PVC retention is GA. */
  public static readonly V1_32 = new KubernetesVersion(1, 32);
  /** Kubernetes 1.33: native sidecars and Job backoff limits per index are GA. */
  public static readonly V1_33 = new KubernetesVersion(1, 33);
  /** Kubernetes 1.34, the newest version the library knows. */
  public static readonly V1_34 = new KubernetesVersion(1, 34);

  /** The oldest version the library targets. */
  public static readonly OLDEST = KubernetesVersion.V1_27;
  /** The newest version the library targets. */
  public static readonly NEWEST = KubernetesVersion.V1_34;

  /** The minimum version at which native sidecars (and their probes) may be used. */
  public static readonly NATIVE_SIDECARS_MINIMUM = KubernetesVersion.V1_29;

  /** The version from which sidecars are NATIVE unless `sidecarMode` says otherwise (native sidecars are GA). */
  public static readonly NATIVE_SIDECARS_DEFAULT = KubernetesVersion.V1_33;

  /**
   * A version written as "1.N", from "1.27" to "1.34".
   */
  public static of(version: string): KubernetesVersion {
    const m = /^1\.(0|[1-9]\d*)$/.exec(version);
    if (!m) {
      throw new ValidationError('KubernetesVersion.of', `expected a version like "1.29" (got ${got(version)}). `
        + 'Fix: give the major and minor version only, e.g. "1.29" (not "1.29.3" or "v1.29").');
    }
    const minor = Number(m[1]);
    if (!KubernetesVersion._isKnown(minor)) {
      throw new ValidationError('KubernetesVersion.of', KubernetesVersion._outOfRange(version));
    }
    return new KubernetesVersion(1, minor);
  }

  /** @internal the problem and fix of a version outside the range, for `of` and the context value. */
  public static _outOfRange(version: string): string {
    const oldest = KubernetesVersion.OLDEST.version;
    const newest = KubernetesVersion.NEWEST.version;
    return `the version must be from ${oldest} to ${newest}, the versions this library targets (got ${got(version)}). `
      + `Fix: target the version of your oldest cluster, or ${newest} if it runs a newer one; clusters older than ${oldest} are not supported.`;
  }

  /** @internal whether "1.N" is within the range the library targets. */
  public static _isKnown(minor: number): boolean {
    return minor >= KubernetesVersion.OLDEST.minor && minor <= KubernetesVersion.NEWEST.minor;
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

  /**
   * The sidecar mode used when a workload sets none: NATIVE from 1.33, where
   * native sidecars are GA, CLASSIC below.
   */
  public get defaultSidecarMode(): SidecarMode {
    return this.isAtLeast(KubernetesVersion.NATIVE_SIDECARS_DEFAULT) ? SidecarMode.NATIVE : SidecarMode.CLASSIC;
  }
}
