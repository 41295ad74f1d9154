import * as kplus from 'cdk8s-plus-27';
import { CustomContainerProps } from './custom-container-props';
import { checkMainTarget, checkMounts, copyMounts, joinSharedVolumes } from './named-mounts';
import { EnvVar, NamedMount, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertAbsolutePath, assertDnsLabel, assertEnvName, assertNonRootUser, assertPinnedImage } from '../pod/validators';

/**
 * @internal
 * A checked copy of `CustomContainerProps`: later changes to the caller's
 * props or arrays reach neither the checks nor the rendered container.
 */
export interface CheckedCustomContainer {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: EnvVar[];
  readonly workingDir?: string;
  readonly mounts: NamedMount[];
  readonly mainMounts: NamedMount[];
  readonly sharedVolumes?: string[];
  readonly user: number;
}

/**
 * @internal
 * Checks and copies the props every custom container shares.
 * @param example a name and an image to suggest when they are missing
 */
export function checkCustomContainer(scope: ErrorScope, props: CustomContainerProps,
  example: { name: string; image: string }): CheckedCustomContainer {
  if (!props || typeof props.name !== 'string') {
    throw new ValidationError(scope, `name is required (got ${got(props?.name)}). Fix: pass a name like "${example.name}".`);
  }
  assertDnsLabel(scope, 'name', props.name);
  if (typeof props.image !== 'string') {
    throw new ValidationError(scope, `image is required (got ${got(props.image)}). Fix: pass a pinned image like "${example.image}".`);
  }
  assertPinnedImage(scope, 'image', props.image);
  const envNames = new Set<string>();
  const env = (props.env ?? []).map(e => {
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
  const user = props.user ?? SecureDefaults.NON_ROOT_USER;
  assertNonRootUser(scope, 'user', user, `use the numeric user the image runs as, e.g. ${SecureDefaults.NON_ROOT_USER}.`);
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy,
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    env,
    workingDir: props.workingDir,
    mounts: copyMounts(props.mounts),
    mainMounts: copyMounts(props.mainMounts),
    sharedVolumes: props.sharedVolumes ? [...props.sharedVolumes] : undefined,
    user,
  };
}

/**
 * @internal
 * The container options shared by every custom container, after its main
 * mounts were checked against the Pod and its shared volumes joined.
 */
export function customContainerOptions(scope: ErrorScope, host: PodPatternHost, c: CheckedCustomContainer) {
  for (const m of c.mainMounts) checkMainTarget(scope, host, 'mainMounts path', m.path);
  joinSharedVolumes(host, c.mounts, c.mainMounts, c.sharedVolumes);
  const envVariables: { [name: string]: kplus.EnvValue } = {};
  for (const e of c.env) envVariables[e.name] = e.value;
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy,
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    workingDir: c.workingDir,
    envVariables,
    securityContext: SecureDefaults.containerSecurityContext(c.user),
    namedMounts: c.mounts,
  };
}
