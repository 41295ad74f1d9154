import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { checkMainTarget } from './named-mounts';
import { checkUser, copyResources } from './pattern-checks';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel, assertPinnedImage, normalizePath, pathsOverlap } from '../pod/validators';

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

  private readonly artifactImage: string;
  private readonly sourcePath: string;
  private readonly initMountPath: string;
  private readonly command?: string[];
  private readonly sizeLimit?: Size;
  private readonly resources?: kplus.ContainerResources;
  private readonly user?: number;
  private readonly readOnly: boolean;

  constructor(props: ArtifactInitProps) {
    const name = props?.name ?? 'artifact-init';
    const scope = ValidationError.patternSubject('ArtifactInit', name);
    if (!props) throw new ValidationError(scope, 'props are required (got undefined). Fix: pass artifactImage, sourcePath and targetPath.');
    assertDnsLabel(scope, 'name', name);
    for (const [key, value] of [['artifactImage', props.artifactImage], ['sourcePath', props.sourcePath], ['targetPath', props.targetPath]]) {
      if (typeof value !== 'string' || value.length === 0) {
        throw new ValidationError(scope, `${key} is required (got ${got(value)}). Fix: pass artifactImage, sourcePath and targetPath, e.g. `
          + 'artifactImage: "registry.example.com/app-war:1.4.2", sourcePath: "/app.war", targetPath: "/usr/local/tomcat/webapps".');
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
    this.artifactImage = props.artifactImage;
    this.sourcePath = props.sourcePath;
    this.command = props.command ? [...props.command] : undefined;
    this.sizeLimit = props.sizeLimit;
    this.resources = copyResources(props.resources);
    this.user = props.user;
    this.readOnly = props.readOnly ?? true;
  }

  /** @internal the path copied out of the artifact image. */
  public get _sourcePath(): string {
    return this.sourcePath;
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('ArtifactInit', this.name);
    checkMainTarget(scope, host, 'targetPath', this.targetPath);
    host.sharedVolume(this.volumeName, this.sizeLimit ? { sizeLimit: this.sizeLimit } : undefined);
    host.addInitContainer({
      name: this.name,
      image: this.artifactImage,
      command: this.command ? [...this.command] : ['sh', '-c', COPY_SCRIPT, 'copy-artifact', this.sourcePath, this.initMountPath],
      resources: this.resources,
      securityContext: SecureDefaults.containerSecurityContext(this.user),
      namedMounts: [{ volume: this.volumeName, path: this.initMountPath }],
    });
    host.mountOnMain({ volume: this.volumeName, path: this.targetPath, readOnly: this.readOnly });
  }
}

/** Copies a file, or a directory's contents, into the target directory. */
const COPY_SCRIPT = [
  'set -e',
  'if [ -d "$1" ]; then cp -R "$1"/. "$2"/; else cp -R "$1" "$2"/; fi',
  'echo "copied $1 into $2:"',
  'ls -la "$2"',
].join('\n');

