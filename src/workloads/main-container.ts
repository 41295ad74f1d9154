import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { WorkloadKind } from '../pod/pattern';
import { isResourcePreset, presetResources, ResourcePreset } from '../pod/resource-preset';
import { RootOptIn } from '../pod/root-opt-in';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath } from '../pod/validators';

/** What the main container is given, resolved from the workload props. */
export interface MainSettings {
  readonly securityContext: kplus.ContainerSecurityContextProps;
  readonly resources: kplus.ContainerResources;
  /** Whether the main container runs as root (by opt-in). */
  readonly root: boolean;
}

/** @internal the props of a workload the main container's settings are resolved from. */
export interface MainInput {
  readonly container: kplus.ContainerProps;
  readonly runAsRoot?: RootOptIn;
  readonly resourcePreset?: ResourcePreset;
  readonly podSecurityContext?: kplus.PodSecurityContextProps;
}

/**
 * @internal
 * The user and resources of the main container: a numeric user (from the
 * container or the Pod) or the explicit root opt-in, and the given resources
 * or a preset.
 */
export function resolveMainSettings(scope: Construct, name: string, props: MainInput, defaultPreset: ResourcePreset): MainSettings {
  const sc = props.container.securityContext ?? {};
  const user = sc.user ?? props.podSecurityContext?.user;
  let securityContext: kplus.ContainerSecurityContextProps = { ...sc };
  let root = false;
  if (props.runAsRoot !== undefined) {
    if (props.runAsRoot !== RootOptIn.ACCEPT_BASELINE_POD_SECURITY) {
      throw new ValidationError(scope, `runAsRoot must be a RootOptIn (got ${got(props.runAsRoot)}). `
        + 'Fix: use RootOptIn.ACCEPT_BASELINE_POD_SECURITY, or leave runAsRoot unset and give a numeric user.');
    }
    if (user !== undefined && user !== 0) {
      throw new ValidationError(scope,
        `container "${name}" opts into root with runAsRoot, yet sets user ${got(user)}; the two contradict each other. `
        + 'Fix: drop runAsRoot to run as that user, or drop the user to run as root.');
    }
    securityContext = { ...sc, ensureNonRoot: false, user: 0 };
    root = true;
  } else if (user === undefined || user === 0) {
    throw new ValidationError(scope,
      `container "${name}" (image ${got(props.container.image)}) has no numeric non-root user (got securityContext.user `
      + `${got(user)}, in the container and the Pod); the kubelet refuses runAsNonRoot for an image that runs as root or `
      + 'under a user name, so the Pod would never start. Fix: set container.securityContext.user (or podSecurityContext.user) '
      + 'to a numeric user such as 10001, with writablePaths for what the image writes, or opt into root with '
      + 'runAsRoot: RootOptIn.ACCEPT_BASELINE_POD_SECURITY (the Pod then meets only the baseline Pod Security Standard).');
  }
  if (props.resourcePreset !== undefined && !isResourcePreset(props.resourcePreset)) {
    throw new ValidationError(scope, `resourcePreset must be a ResourcePreset (got ${got(props.resourcePreset)}). `
      + 'Fix: use one of ResourcePreset.NANO, MICRO, SMALL, MEDIUM, LARGE or XLARGE.');
  }
  if (props.resourcePreset !== undefined && props.container.resources !== undefined) {
    throw new ValidationError(scope,
      `container "${name}" sets both resources and resourcePreset ${got(props.resourcePreset)}; one would silently win. `
      + 'Fix: keep one of them.');
  }
  const resources = props.container.resources ?? presetResources(props.resourcePreset ?? defaultPreset);
  return { securityContext, resources, root };
}

/**
 * @internal
 * The name of the emptyDir of a writable path: "writable-" and the path's
 * segments joined with "-" (e.g. "writable-var-cache-nginx").
 */
export function writableVolumeName(scope: Construct, path: string): string {
  assertAbsolutePath(scope, 'writablePaths path', path);
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const name = `writable-${slug || 'root'}`;
  if (name.length > 63 || path === '/') {
    throw new ValidationError(scope,
      `writablePaths path ${got(path)} cannot be an emptyDir: ${path === '/' ? 'it is the root itself' : 'its volume name would exceed 63 characters'}. `
      + 'Fix: give the directory the app writes to, e.g. "/var/cache/nginx".');
  }
  return name;
}

/**
 * @internal
 * The readiness probe of a main container that declares none: a TCP probe on
 * its first port, for long-running workloads; none for Jobs and CronJobs, or
 * without ports.
 */
export function defaultReadiness(kind: WorkloadKind, container: kplus.ContainerProps): kplus.Probe | undefined {
  if (kind === WorkloadKind.JOB || kind === WorkloadKind.CRON_JOB) return undefined;
  const port = container.ports?.[0]?.number ?? container.portNumber;
  return port === undefined ? undefined : kplus.Probe.fromTcpSocket({ port });
}
