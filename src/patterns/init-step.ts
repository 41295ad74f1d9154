import * as kplus from 'cdk8s-plus-27';
import { checkMainTarget, checkMounts, joinSharedVolumes } from './named-mounts';
import { checkUser } from './pattern-checks';
import { EnvVar, IPodPattern, NamedMount, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel, assertEnvName, assertPinnedImage } from '../pod/validators';

/**
 * Props of an {@link InitStep}.
 */
export interface InitStepProps {
  /**
   * Name of the step: the pattern name and the init container name.
   * Must be unique among the patterns of the workload.
   */
  readonly name: string;

  /** Container image, pinned to a version (a tag other than `latest`, or a digest). */
  readonly image: string;

  /**
   * Entrypoint of the step.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];

  /**
   * Arguments of the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];

  /**
   * Environment variables of the step.
   * @default - none
   */
  readonly env?: EnvVar[];

  /**
   * Working directory of the step.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;

  /**
   * Volumes the step mounts, by name.
   * @default - none
   */
  readonly mounts?: NamedMount[];

  /**
   * Volumes mounted into the main container, by name: typically the volume
   * the step fills, so that the app finds the result.
   * @default - none
   */
  readonly mainMounts?: NamedMount[];

  /**
   * Names of the shared emptyDir volumes this step creates, or joins when
   * another pattern created them first. Volumes named in `mounts` or
   * `mainMounts` but not listed here must already exist in the Pod, e.g. a
   * volume claim template of a stateful service.
   * @default - every volume named in `mounts` and `mainMounts`
   */
  readonly sharedVolumes?: string[];

  /**
   * Resources of the step.
   * @default SecureDefaults.initStepResources() - requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Numeric user (and group) the step runs as. It runs with the restricted
   * security context of `SecureDefaults.containerSecurityContext()`
   * (non-root, read-only root filesystem); it can write only to the volumes
   * it mounts.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;
}

/**
 * A generic init step: one init container that runs to completion before the
 * app starts.
 *
 * Init steps run strictly one after the other, in the order their patterns
 * were added to the workload. A step that exits non-zero is retried by the
 * kubelet (according to the Pod's restart policy) and the app does not start
 * until every step succeeded.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
 */
export class InitStep implements IPodPattern {
  public readonly name: string;

  /** The image the step runs. */
  public readonly image: string;

  private readonly props: InitStepProps;

  constructor(props: InitStepProps) {
    const scope = ValidationError.patternSubject('InitStep', props?.name);
    if (!props || typeof props.name !== 'string') {
      throw new ValidationError(scope, `name is required (got ${got(props?.name)}). Fix: pass a name like "migrate".`);
    }
    assertDnsLabel(scope, 'name', props.name);
    if (typeof props.image !== 'string') {
      throw new ValidationError(scope, `image is required (got ${got(props.image)}). Fix: pass a pinned image like "busybox:1.36.1".`);
    }
    assertPinnedImage(scope, 'image', props.image);
    const envNames = new Set<string>();
    for (const e of props.env ?? []) {
      assertEnvName(scope, 'env var name', e.name);
      if (envNames.has(e.name)) {
        throw new ValidationError(scope, `env var ${e.name} is given twice; the second would silently replace the first. Fix: set each variable once.`);
      }
      envNames.add(e.name);
    }
    if (props.workingDir !== undefined) assertAbsolutePath(scope, 'workingDir', props.workingDir);
    checkMounts(scope, 'mounts', props.mounts);
    checkMounts(scope, 'mainMounts', props.mainMounts);
    for (const v of props.sharedVolumes ?? []) assertDnsLabel(scope, 'shared volume name', v);
    checkUser(scope, props.user);
    this.name = props.name;
    this.image = props.image;
    this.props = props;
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('InitStep', this.name);
    const p = this.props;
    const mounts = p.mounts ?? [];
    const mainMounts = p.mainMounts ?? [];
    for (const m of mainMounts) checkMainTarget(scope, host, 'mainMounts path', m.path);

    joinSharedVolumes(host, mounts, mainMounts, p.sharedVolumes);

    const envVariables: { [name: string]: kplus.EnvValue } = {};
    for (const e of p.env ?? []) envVariables[e.name] = e.value;
    host.addInitContainer({
      name: this.name,
      image: this.image,
      command: p.command,
      args: p.args,
      workingDir: p.workingDir,
      envVariables,
      resources: p.resources,
      securityContext: SecureDefaults.containerSecurityContext(p.user),
      namedMounts: mounts,
    });
    for (const m of mainMounts) host.mountOnMain(m);
  }
}

