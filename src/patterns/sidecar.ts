import * as kplus from 'cdk8s-plus-27';
import { checkMainTarget, checkMounts, copyMounts, joinSharedVolumes } from './named-mounts';
import { assertNotAnAppPort, copyResources } from './pattern-checks';
import { EnvVar, IPodPattern, NamedMount, PatternPort, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel, assertEnvName, assertNonRootUser, assertPinnedImage, assertPort, assertPortName } from '../pod/validators';

/**
 * Props of a {@link Sidecar}.
 */
export interface SidecarProps {
  /**
   * Name of the pattern and of its container. Must be unique among the
   * patterns and containers of the workload.
   */
  readonly name: string;

  /** Container image, pinned to a version (a tag other than `latest`, or a digest). */
  readonly image: string;

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
   * Volumes the sidecar mounts, by name.
   * @default - none
   */
  readonly mounts?: NamedMount[];

  /**
   * Volumes mounted into the main container, by name: typically the volume
   * the sidecar fills (e.g. a checked-out repository) or reads.
   * @default - none
   */
  readonly mainMounts?: NamedMount[];

  /**
   * Names of the shared emptyDir volumes this sidecar creates, or joins when
   * another pattern created them first. Volumes named in `mounts` or
   * `mainMounts` but not listed here must already exist in the Pod, e.g. a
   * volume claim template of a stateful service.
   * @default - every volume named in `mounts` and `mainMounts`
   */
  readonly sharedVolumes?: string[];

  /**
   * Ports the sidecar listens on. They are container ports of the sidecar
   * and take part in the Pod's rules (no two containers on one port); each
   * is on the workload's Service only when `expose` is true.
   * @default - none
   */
  readonly ports?: PatternPort[];

  /**
   * Resources of the sidecar.
   * @default SecureDefaults.sidecarResources() - requests 50m CPU / 64Mi memory, limits 200m CPU / 128Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Numeric user (and group) the sidecar runs as, with the restricted
   * security context of `SecureDefaults.containerSecurityContext()`
   * (non-root, read-only root filesystem, no capabilities); it can write
   * only to the volumes it mounts.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;
}

/**
 * A general-purpose sidecar: one container that runs next to the app for the
 * whole life of the Pod (e.g. a git poller that keeps a shared volume up to
 * date for a web server). The counterpart of `InitStep`, for work that does
 * not end.
 *
 * It mounts named volumes, declares its ports through the workload (so they
 * are rendered as container ports and checked against every other port of
 * the Pod), and runs hardened like every container of the library. In
 * `SidecarMode.NATIVE` it is an init container with `restartPolicy: Always`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export class Sidecar implements IPodPattern {
  public readonly name: string;

  /** The image the sidecar runs. */
  public readonly image: string;

  /** The numeric user the sidecar runs as. */
  public readonly user: number;

  private readonly command?: string[];
  private readonly args?: string[];
  private readonly env: EnvVar[];
  private readonly workingDir?: string;
  private readonly mounts: NamedMount[];
  private readonly mainMounts: NamedMount[];
  private readonly sharedVolumes?: string[];
  private readonly ports: PatternPort[];
  private readonly resources: kplus.ContainerResources;

  constructor(props: SidecarProps) {
    const scope = typeof props?.name === 'string' ? ValidationError.patternSubject('Sidecar', props.name) : 'Sidecar';
    if (!props || typeof props.name !== 'string') {
      throw new ValidationError(scope, `name is required (got ${got(props?.name)}). Fix: pass a name like "git-sync".`);
    }
    assertDnsLabel(scope, 'name', props.name);
    if (typeof props.image !== 'string') {
      throw new ValidationError(scope, `image is required (got ${got(props.image)}). Fix: pass a pinned image like "alpine/git:2.45.2".`);
    }
    assertPinnedImage(scope, 'image', props.image);
    const envNames = new Set<string>();
    this.env = (props.env ?? []).map(e => {
      assertEnvName(scope, 'env var name', e?.name);
      if (envNames.has(e.name)) {
        throw new ValidationError(scope, `env var ${e.name} is given twice; the second would silently replace the first. Fix: set each variable once.`);
      }
      envNames.add(e.name);
      return { name: e.name, value: e.value };
    });
    if (props.workingDir !== undefined) assertAbsolutePath(scope, 'workingDir', props.workingDir);
    checkMounts(scope, 'mounts', props.mounts);
    checkMounts(scope, 'mainMounts', props.mainMounts);
    for (const v of props.sharedVolumes ?? []) assertDnsLabel(scope, 'shared volume name', v);
    const portNumbers = new Set<number>();
    this.ports = (props.ports ?? []).map(p => {
      assertPort(scope, 'port', p?.port);
      assertPortName(scope, 'port name', p.name);
      if (portNumbers.has(p.port)) {
        throw new ValidationError(scope, `port ${p.port} is listed twice. Fix: list each port once.`);
      }
      portNumbers.add(p.port);
      return { name: p.name, port: p.port, expose: p.expose, protocol: p.protocol };
    });
    this.user = props.user ?? SecureDefaults.NON_ROOT_USER;
    assertNonRootUser(scope, 'user', this.user, 'use the numeric user the image runs as, e.g. 65532.');

    this.name = props.name;
    this.image = props.image;
    this.command = props.command ? [...props.command] : undefined;
    this.args = props.args ? [...props.args] : undefined;
    this.workingDir = props.workingDir;
    this.mounts = copyMounts(props.mounts);
    this.mainMounts = copyMounts(props.mainMounts);
    this.sharedVolumes = props.sharedVolumes ? [...props.sharedVolumes] : undefined;
    this.resources = copyResources(props.resources) ?? SecureDefaults.sidecarResources();
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('Sidecar', this.name);
    for (const p of this.ports) assertNotAnAppPort(scope, host, 'port', p.port, 'give the sidecar its own port.');
    for (const m of this.mainMounts) checkMainTarget(scope, host, 'mainMounts path', m.path);
    joinSharedVolumes(host, this.mounts, this.mainMounts, this.sharedVolumes);

    const envVariables: { [name: string]: kplus.EnvValue } = {};
    for (const e of this.env) envVariables[e.name] = e.value;
    const container = host.addSidecar({
      name: this.name,
      image: this.image,
      command: this.command ? [...this.command] : undefined,
      args: this.args ? [...this.args] : undefined,
      workingDir: this.workingDir,
      envVariables,
      ports: this.ports.map(p => ({ number: p.port, name: p.name, protocol: p.protocol })),
      resources: this.resources,
      securityContext: SecureDefaults.containerSecurityContext(this.user),
      namedMounts: this.mounts,
    });
    for (const p of this.ports) host.declarePort(container.name, p);
    for (const m of this.mainMounts) host.mountOnMain(m);
  }
}
