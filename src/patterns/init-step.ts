import * as net from 'net';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultImages } from './default-images';
import { checkMainTarget, checkMounts, joinSharedVolumes } from './named-mounts';
import { IEndpoint } from '../dependencies/endpoint';
import { EnvVar, IPodPattern, NamedMount, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertAbsolutePath, assertDnsLabel, assertEnvName, assertPinnedImage, normalizePath, pathsOverlap } from '../pod/validators';

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

/**
 * Props of an {@link ArtifactInit}.
 */
export interface ArtifactInitProps {
  /**
   * Name of the pattern and of its init container. Give each ArtifactInit of
   * a workload its own name.
   * @default 'artifact-init'
   */
  readonly name?: string;

  /**
   * The image that carries the artifact, pinned to a version. With the
   * default `command`, it needs a POSIX shell and `cp` (e.g. an image built
   * `FROM busybox` or `FROM alpine`), and `sourcePath` must be readable by
   * `user`.
   */
  readonly artifactImage: string;

  /**
   * Absolute path of the artifact inside `artifactImage`: a file (copied
   * into `targetPath`, e.g. `/artifacts/sample.war`) or a directory (its
   * contents are copied into `targetPath`).
   */
  readonly sourcePath: string;

  /**
   * Absolute path at which the main container sees the copied artifact,
   * e.g. `/usr/local/tomcat/webapps`. The shared volume is mounted there, so
   * whatever the main image had at that path is hidden.
   */
  readonly targetPath: string;

  /**
   * Name of the shared emptyDir volume that carries the artifact.
   * @default - the pattern name
   */
  readonly volumeName?: string;

  /**
   * Size limit of the shared volume. The kubelet evicts the Pod when the
   * volume grows beyond it.
   * @default - no limit
   */
  readonly sizeLimit?: Size;

  /**
   * Mount the artifact read-only in the main container. Read-only keeps the
   * app from changing its own code; set it to `false` when the app writes
   * into `targetPath`, e.g. Tomcat expanding WAR files (`unpackWARs`).
   * @default true
   */
  readonly readOnly?: boolean;

  /**
   * Absolute path at which the shared volume is mounted in the copy
   * container. Must not overlap `sourcePath`.
   * @default '/mnt/artifact'
   */
  readonly initMountPath?: string;

  /**
   * The command that copies the artifact, run in `artifactImage`. Override
   * it for images without a shell, or to unpack an archive; it must write
   * into `initMountPath`.
   * @default - `sh -c` with `cp -R`, copying sourcePath (a file, or a directory's contents) into initMountPath
   */
  readonly command?: string[];

  /**
   * Resources of the copy container.
   * @default SecureDefaults.initStepResources() - requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Numeric user (and group) the copy runs as. The copied files belong to
   * this user; the main container can read them when they are
   * world-readable in the artifact image.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;
}

/**
 * Copies files out of an artifact image into a shared emptyDir that the main
 * container mounts at `targetPath`.
 *
 * The classic case is a Java WAR baked into its own small image and copied
 * into Tomcat's `webapps` directory: the WAR and Tomcat are versioned and
 * released independently, and no distributed storage is needed.
 *
 * The copy runs as an init step, so the app only starts once the artifact is
 * in place. Each ArtifactInit mounts its own volume at its own `targetPath`;
 * to put several artifacts into one directory, ship them in one artifact
 * image and point `sourcePath` at their directory.
 */
export class ArtifactInit implements IPodPattern {
  /** Default mount path of the shared volume in the copy container. */
  public static readonly DEFAULT_INIT_MOUNT_PATH = '/mnt/artifact';

  public readonly name: string;

  /** Name of the shared volume that carries the artifact. */
  public readonly volumeName: string;

  /** Where the main container sees the artifact. */
  public readonly targetPath: string;

  private readonly props: ArtifactInitProps;
  private readonly initMountPath: string;

  constructor(props: ArtifactInitProps) {
    const name = props?.name ?? 'artifact-init';
    const scope = ValidationError.patternSubject('ArtifactInit', name);
    if (!props) throw new ValidationError(scope, 'props are required (got undefined). Fix: pass artifactImage, sourcePath and targetPath.');
    assertDnsLabel(scope, 'name', name);
    for (const [key, value] of [['artifactImage', props.artifactImage], ['sourcePath', props.sourcePath], ['targetPath', props.targetPath]]) {
      if (typeof value !== 'string' || value.length === 0) {
        throw new ValidationError(scope, `${key} is required (got ${got(value)}).`);
      }
    }
    assertPinnedImage(scope, 'artifactImage', props.artifactImage);
    assertAbsolutePath(scope, 'sourcePath', props.sourcePath);
    assertAbsolutePath(scope, 'targetPath', props.targetPath);
    this.initMountPath = props.initMountPath ?? ArtifactInit.DEFAULT_INIT_MOUNT_PATH;
    assertAbsolutePath(scope, 'initMountPath', this.initMountPath);
    if (normalizePath(props.sourcePath) === '/') {
      throw new ValidationError(scope, 'sourcePath must not be "/" (got "/"): that would copy the whole image. Fix: point at the artifact file or its directory.');
    }
    if (normalizePath(props.targetPath) === '/') {
      throw new ValidationError(scope, 'targetPath must not be "/" (got "/"): the volume would hide the whole main image. Fix: use the directory the app reads, e.g. "/usr/local/tomcat/webapps".');
    }
    if (pathsOverlap(props.sourcePath, this.initMountPath)) {
      throw new ValidationError(scope,
        `sourcePath ${got(props.sourcePath)} overlaps initMountPath ${got(this.initMountPath)}, where the copy container mounts `
        + 'the shared volume; the mount would hide the artifact or copy it onto itself. '
        + 'Fix: set initMountPath to a path outside sourcePath, e.g. "/mnt/copy".');
    }
    this.volumeName = props.volumeName ?? name;
    assertDnsLabel(scope, 'volumeName', this.volumeName);
    if (props.command !== undefined && props.command.length === 0) {
      throw new ValidationError(scope, 'command must not be empty (got []). Fix: omit it to copy with cp -R, or give the full command.');
    }
    checkUser(scope, props.user);
    this.name = name;
    this.targetPath = props.targetPath;
    this.props = props;
  }

  /** @internal the path copied out of the artifact image. */
  public get _sourcePath(): string {
    return this.props.sourcePath;
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('ArtifactInit', this.name);
    checkMainTarget(scope, host, 'targetPath', this.targetPath);
    host.sharedVolume(this.volumeName, this.props.sizeLimit ? { sizeLimit: this.props.sizeLimit } : undefined);
    host.addInitContainer({
      name: this.name,
      image: this.props.artifactImage,
      command: this.props.command ?? ['sh', '-c', COPY_SCRIPT, 'copy-artifact', this.props.sourcePath, this.initMountPath],
      resources: this.props.resources,
      securityContext: SecureDefaults.containerSecurityContext(this.props.user),
      namedMounts: [{ volume: this.volumeName, path: this.initMountPath }],
    });
    host.mountOnMain({ volume: this.volumeName, path: this.targetPath, readOnly: this.props.readOnly ?? true });
  }
}

/** Copies a file, or a directory's contents, into the target directory. */
const COPY_SCRIPT = [
  'set -e',
  'if [ -d "$1" ]; then cp -R "$1"/. "$2"/; else cp -R "$1" "$2"/; fi',
  'echo "copied $1 into $2:"',
  'ls -la "$2"',
].join('\n');

/**
 * What a {@link WaitFor} checks.
 */
export enum WaitForCheck {
  /** The endpoint accepts TCP connections on its port (`nc -z`). */
  TCP = 'tcp',
  /**
   * The endpoint's host name resolves in DNS (`nslookup`); the port is not
   * checked. Names are resolved the way the app's resolver would: a name
   * that does not resolve as given is tried with each domain of the Pod's DNS
   * search list (`/etc/resolv.conf`), so a partly qualified name such as
   * `mydb.other-ns` resolves as `mydb.other-ns.svc.cluster.local` (busybox
   * `nslookup` alone applies the search list to single-label names only).
   * A name ending in "." is absolute and taken as given.
   */
  DNS = 'dns',
}

/**
 * Props of a {@link WaitFor}.
 */
export interface WaitForProps {
  /**
   * Name of the pattern and of its init container.
   * @default 'wait-for'
   */
  readonly name?: string;

  /** The endpoints to wait for, checked one after the other. At least one. */
  readonly endpoints: IEndpoint[];

  /**
   * What counts as "available".
   * @default WaitForCheck.TCP
   */
  readonly check?: WaitForCheck;

  /**
   * How long to wait, in total, before giving up. The init container then
   * exits non-zero; the kubelet restarts it with back-off (for Pods with
   * restartPolicy Always), so the Pod shows the failure instead of starting
   * an app that cannot reach its dependencies.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Pause between two attempts; at most `timeout`.
   * @default Duration.seconds(2)
   */
  readonly interval?: Duration;

  /**
   * Image with a POSIX shell, `nc` (supporting `-z` and `-w`), `nslookup`
   * and `date`, pinned to a version.
   * @default WaitFor.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Resources of the init container.
   * @default SecureDefaults.initStepResources() - requests 10m CPU / 32Mi memory, limits 100m CPU / 64Mi memory
   */
  readonly resources?: kplus.ContainerResources;
}

/**
 * An init step that blocks the app until its dependencies answer: every
 * endpoint accepts TCP connections (or resolves in DNS), or the timeout is
 * reached and the step fails.
 *
 * `PatternWorkload.connect(endpoint, { waitFor: true })` adds one for a
 * single endpoint.
 */
export class WaitFor implements IPodPattern {
  /** The default image: busybox, pinned. */
  public static readonly DEFAULT_IMAGE = DefaultImages.BUSYBOX;

  public readonly name: string;

  /** The image that runs the checks. */
  public readonly image: string;

  /** The total timeout, in seconds. */
  public readonly timeoutSeconds: number;

  private readonly props: WaitForProps;
  private readonly endpoints: IEndpoint[];
  private readonly intervalSeconds: number;

  constructor(props: WaitForProps) {
    const name = props?.name ?? 'wait-for';
    const scope = ValidationError.patternSubject('WaitFor', name);
    assertDnsLabel(scope, 'name', name);
    if (!props || !Array.isArray(props.endpoints) || props.endpoints.length === 0) {
      throw new ValidationError(scope,
        `endpoints must list at least one endpoint to wait for (got ${got(props?.endpoints)}). `
        + 'Fix: pass endpoints: [Endpoint.of("db", 5432)], or drop the WaitFor.');
    }
    props.endpoints.forEach((e, i) => {
      if (!e || typeof e.host !== 'string' || e.host.length === 0 || !Number.isInteger(e.port) || e.port < 1 || e.port > 65535) {
        throw new ValidationError(scope,
          `endpoints[${i}] must be an IEndpoint with a host and a port between 1 and 65535 (got ${got(e)}). Fix: use Endpoint.of(host, port).`);
      }
      // the host reaches `nc` and `nslookup` as an argument: a name starting with "-" would be an option
      if (!isHostName(e.host) && !isIpAddress(e.host)) {
        throw new ValidationError(scope,
          `endpoints[${i}] host must be a DNS name or an IP address (got ${got(e.host)}). `
          + 'Fix: use a name like "db.prod.svc.cluster.local" or an address like "10.0.0.7".');
      }
    });
    const image = props.image ?? WaitFor.DEFAULT_IMAGE;
    assertPinnedImage(scope, 'image', image);
    this.timeoutSeconds = wholeSeconds(scope, 'timeout', props.timeout ?? Duration.minutes(5));
    this.intervalSeconds = wholeSeconds(scope, 'interval', props.interval ?? Duration.seconds(2));
    if (this.intervalSeconds > this.timeoutSeconds) {
      throw new ValidationError(scope,
        `interval (got ${this.intervalSeconds} seconds) is longer than timeout (got ${this.timeoutSeconds} seconds), so the step `
        + 'would sleep past its deadline after the first failed attempt. Fix: use an interval no longer than the timeout, '
        + 'e.g. interval: Duration.seconds(2).');
    }
    this.name = name;
    this.image = image;
    this.props = props;
    this.endpoints = [...props.endpoints];
  }

  /** @internal the endpoints waited for, in order. */
  public get _endpoints(): IEndpoint[] {
    return [...this.endpoints];
  }

  public attach(host: PodPatternHost): void {
    const check = this.props.check ?? WaitForCheck.TCP;
    host.addInitContainer({
      name: this.name,
      image: this.image,
      command: ['sh', '-c', WAIT_SCRIPT, this.name],
      args: this.endpoints.map(e => `${e.host}:${e.port}`),
      envVariables: {
        WAIT_CHECK: kplus.EnvValue.fromValue(check),
        WAIT_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(this.timeoutSeconds)),
        WAIT_INTERVAL_SECONDS: kplus.EnvValue.fromValue(String(this.intervalSeconds)),
      },
      resources: this.props.resources,
      securityContext: SecureDefaults.containerSecurityContext(),
    });
  }
}

/**
 * Waits for every `host:port` argument in turn; exits 1 once
 * WAIT_TIMEOUT_SECONDS have passed since the start.
 *
 * A DNS check tries the name as given, then (unless it ends in ".") with
 * each domain of the resolver's search list, as libc resolvers do for names
 * with fewer dots than `ndots` (5 in a Pod): busybox `nslookup` applies the
 * list to single-label names only.
 */
const WAIT_SCRIPT = [
  'deadline=$(( $(date +%s) + WAIT_TIMEOUT_SECONDS ))',
  'search=',
  'if [ "$WAIT_CHECK" = dns ] && [ -r /etc/resolv.conf ]; then',
  '  while read -r key rest; do',
  '    case "$key" in search|domain) search="$rest" ;; esac',
  '  done < /etc/resolv.conf',
  'fi',
  'lookup() { nslookup "$1" >/dev/null 2>&1; }',
  'resolves() {',
  '  lookup "$1" && return 0',
  '  case "$1" in *.) return 1 ;; esac',
  '  for domain in $search; do lookup "$1.$domain" && return 0; done',
  '  return 1',
  '}',
  'for target in "$@"; do',
  '  host="${target%:*}"; port="${target##*:}"',
  '  host="${host#\\[}"; host="${host%\\]}"',
  '  while :; do',
  '    if [ "$WAIT_CHECK" = dns ]; then resolves "$host" && break',
  '    else nc -z -w 2 "$host" "$port" && break; fi',
  '    if [ "$(date +%s)" -ge "$deadline" ]; then',
  '      echo "$0: $target is not available after ${WAIT_TIMEOUT_SECONDS}s (check: $WAIT_CHECK), giving up" >&2',
  '      exit 1',
  '    fi',
  '    echo "$0: waiting for $target ($WAIT_CHECK)"',
  '    sleep "$WAIT_INTERVAL_SECONDS"',
  '  done',
  '  echo "$0: $target is available"',
  'done',
].join('\n');

/** A DNS name: dot-separated labels of letters, digits, '-' and '_', not starting with '-'; an optional final dot. */
function isHostName(host: string): boolean {
  return host.length <= 254 && /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(host);
}

/** An IPv4 address, or an IPv6 address with or without brackets. */
function isIpAddress(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return net.isIP(bare) !== 0;
}

function checkUser(scope: ErrorScope, user?: number): void {
  if (user !== undefined && (!Number.isInteger(user) || user < 1)) {
    throw new ValidationError(scope,
      `user must be a numeric user id >= 1 (got ${got(user)}); 0 is root, which the restricted Pod Security Standard forbids. `
      + `Fix: use a non-root id such as ${SecureDefaults.NON_ROOT_USER}.`);
  }
}

function wholeSeconds(scope: ErrorScope, what: string, d: Duration): number {
  const ms = d.toMilliseconds();
  if (!(ms >= 1000) || ms % 1000 !== 0) {
    throw new ValidationError(scope, `${what} must be a whole number of seconds, at least 1 (got ${d.toHumanString()}). Fix: use e.g. Duration.seconds(30).`);
  }
  return ms / 1000;
}
