import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * The quantities of the default resources. `Cpu` and `Size` are immutable
 * values, so every container shares them; each call still returns new
 * resource objects around them.
 */
const SIDECAR_CPU = { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) };
const SIDECAR_MEMORY = { request: Size.mebibytes(64), limit: Size.mebibytes(128) };
const INIT_STEP_CPU = { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) };
const INIT_STEP_MEMORY = { request: Size.mebibytes(32), limit: Size.mebibytes(64) };

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
    return { cpu: { ...SIDECAR_CPU }, memory: { ...SIDECAR_MEMORY } };
  }

  /**
   * Resources for a short-lived init step (copy, wait):
   * requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory.
   */
  public static initStepResources(): kplus.ContainerResources {
    return { cpu: { ...INIT_STEP_CPU }, memory: { ...INIT_STEP_MEMORY } };
  }

  private constructor() {}
}
