import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * @internal
 * The default resources of sidecars, one shared (frozen) object: Cpu and
 * Size are immutable, and thousands of workloads need not each build a copy.
 */
export const SIDECAR_RESOURCES: kplus.ContainerResources = deepFreeze({
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
});

/** @internal the default resources of init steps, shared like SIDECAR_RESOURCES. */
export const INIT_STEP_RESOURCES: kplus.ContainerResources = deepFreeze({
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
});

/** Freezes a struct and the plain objects in it (class instances such as Cpu and Size are immutable already). */
function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) {
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) deepFreeze(v);
  }
  return Object.freeze(o);
}

/**
 * The security settings every container created by this library gets, which
 * satisfy the Pod Security Standards "restricted" profile.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export class SecureDefaults {
  /**
   * The numeric user (and group) the library's own sidecars and init steps run
   * as: 65532, the conventional "nonroot" user of distroless images.
   * A numeric user is needed so that `runAsNonRoot` can be verified by the kubelet.
   */
  public static readonly NON_ROOT_USER = 65532;

  /**
   * Restricted container security context:
   * `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `privileged: false`,
   * `readOnlyRootFilesystem: true`, and a numeric user.
   *
   * Every workload of this library also renders `capabilities.drop: [ALL]` on
   * every container and a Pod-level `seccompProfile: RuntimeDefault`, which
   * cdk8s-plus-27 cannot express.
   *
   * @param user the numeric user to run as. @default SecureDefaults.NON_ROOT_USER
   */
  public static containerSecurityContext(user?: number): kplus.ContainerSecurityContextProps {
    const uid = user ?? SecureDefaults.NON_ROOT_USER;
    return {
      ensureNonRoot: true,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      user: uid,
      group: uid,
    };
  }

  /**
   * Resources for a small helper container (log shipper, proxy, adapter):
   * requests 50m CPU / 64Mi memory, limits 200m CPU / 128Mi memory.
   *
   * cdk8s-plus would otherwise give every container 1 CPU / 512Mi of requests.
   */
  public static sidecarResources(): kplus.ContainerResources {
    return { cpu: { ...SIDECAR_RESOURCES.cpu }, memory: { ...SIDECAR_RESOURCES.memory } };
  }

  /**
   * Resources for a short-lived init step (copy, wait):
   * requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory.
   */
  public static initStepResources(): kplus.ContainerResources {
    return { cpu: { ...INIT_STEP_RESOURCES.cpu }, memory: { ...INIT_STEP_RESOURCES.memory } };
  }

  private constructor() {}
}

/** @internal the seccomp profile every Pod gets. */
export const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' };

/**
 * @internal
 * Completes a rendered Pod spec so that it meets PSS "restricted":
 * a Pod-level RuntimeDefault seccomp profile, and `ALL` among the dropped
 * capabilities of every container (capabilities a container adds are kept).
 */
export function hardenPodSpec(podSpec: any): void {
  const sc = podSpec.securityContext ?? {};
  if (!sc.seccompProfile) {
    podSpec.securityContext = withSortedKey(sc, 'seccompProfile', { ...RUNTIME_DEFAULT_SECCOMP });
  }
  for (const list of [podSpec.initContainers ?? [], podSpec.containers ?? []]) {
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      const csc = c.securityContext ?? {};
      const caps = csc.capabilities ?? {};
      if (!(caps.drop ?? []).includes('ALL')) {
        const merged = withSortedKey(caps, 'drop', ['ALL', ...(caps.drop ?? [])]);
        c.securityContext = withSortedKey(csc, 'capabilities', merged);
      }
    }
  }
}

/** @internal returns a copy of `obj` with its keys in sorted order (as cdk8s renders them). */
export function sortedObject(obj: any): any {
  const out: any = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}

/**
 * @internal returns a copy of `obj`, whose keys are in sorted order (as cdk8s
 * renders them), with `key` set to `value` at its place in that order.
 */
export function withSortedKey(obj: any, key: string, value: unknown): any {
  const out: any = {};
  let placed = false;
  for (const k of Object.keys(obj)) {
    if (k === key) continue;
    if (!placed && k > key) {
      out[key] = value;
      placed = true;
    }
    out[k] = obj[k];
  }
  if (!placed) out[key] = value;
  return out;
}
