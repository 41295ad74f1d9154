import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultImages } from './default-images';
import { assertFluentBitLiteral, POD_NAME_ENV, POD_NAMESPACE_ENV, renderFluentBitConfig } from './fluent-bit-config';
import { LogDestination } from './log-destination';
import { copyResources } from './pattern-checks';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { assertAbsolutePath, assertDnsLabel, assertNonRootUser, assertPinnedImage, normalizePath, pathsOverlap } from '../pod/validators';

/**
 * How the lines of the log files are interpreted.
 */
export enum LogFormat {
  /** Each line is kept as the `log` field of the record. */
  PLAIN = 'plain',
  /** Each line is a JSON object whose fields become the fields of the record (lines that are not JSON are kept as `log`). */
  JSON = 'json',
}

/**
 * A built-in fluent-bit multiline parser, which joins the lines of one
 * message (e.g. a stack trace) into one record.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/multiline-parsing
 */
export enum MultilineParser {
  /** Java exceptions and stack traces. */
  JAVA = 'java',
  /** Go panics and stack traces. */
  GO = 'go',
  /** Python tracebacks. */
  PYTHON = 'python',
}

/**
 * Props of a {@link LogCollector}.
 */
export interface LogCollectorProps {
  /**
   * Name of the pattern and of the collector container. It also names the
   * collector's volumes (`<name>-logs`, `<name>-state`, `<name>-config`), so
   * it has at most 56 characters.
   * @default 'log-collector'
   */
  readonly name?: string;

  /**
   * Absolute path of the directory the app writes its log files to. The
   * library mounts a shared emptyDir there, read-write in the app and
   * read-only in the collector (at the same path).
   */
  readonly logDir: string;

  /**
   * Which files of `logDir` are collected: a glob relative to `logDir`.
   * @default '*.log'
   */
  readonly filePattern?: string;

  /** Where the records are shipped. */
  readonly destination: LogDestination;

  /**
   * How the lines are interpreted.
   * @default LogFormat.PLAIN
   */
  readonly format?: LogFormat;

  /**
   * Join multi-line messages (stack traces) with a built-in parser.
   * @default - every line is a record
   */
  readonly multiline?: MultilineParser;

  /**
   * Add `pod_name`, `namespace` and `container` (the main container's name)
   * to every record, from the downward API.
   * @default true
   */
  readonly addPodMetadata?: boolean;

  /**
   * The fluent-bit image, pinned to a version. It must understand the YAML
   * configuration format with a `parsers` section (fluent-bit 3.2 or later)
   * and have its binary at `/fluent-bit/bin/fluent-bit`.
   * @default LogCollector.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Resources of the collector.
   * @default SecureDefaults.sidecarResources() - requests 50m CPU / 64Mi memory, limits 200m CPU / 128Mi memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Numeric user (and group) the collector runs as. The app's log files must
   * be readable by it: world-readable (the usual 0644), or run the collector
   * as the app's user.
   * @default SecureDefaults.NON_ROOT_USER (65532)
   */
  readonly user?: number;

  /**
   * Size limit of the log volume. The app must rotate its files to stay
   * below it; the kubelet evicts the Pod when the volume grows beyond it.
   * @default - no limit
   */
  readonly logVolumeSizeLimit?: Size;
}

/**
 * A log-collecting sidecar: fluent-bit tails the log files the app writes to
 * a shared volume and ships the records to a {@link LogDestination}.
 *
 * - The log directory is a shared emptyDir, read-write in the app and
 *   read-only in the collector.
 * - fluent-bit's configuration is rendered in its YAML format into a
 *   ConfigMap; its content is hashed into a Pod annotation, so a changed
 *   configuration rolls the Pods.
 * - The tail position database lives on a writable emptyDir of its own, so
 *   a restarted collector resumes where it stopped; the root filesystem stays
 *   read-only.
 * - Credentials are read from existing Secrets through environment
 *   variables, never written into the configuration.
 *
 * The rendered configuration is verified structurally by the library's tests
 * (parsed as YAML, checking the tail path, the position database and the
 * output per destination), not by running fluent-bit.
 *
 * Works with both sidecar modes. With `SidecarMode.NATIVE` the collector
 * starts before the init steps and the app, and stops after the app, so the
 * last lines are shipped too.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/yaml
 */
export class LogCollector implements IPodPattern {
  /** The default fluent-bit image. */
  public static readonly DEFAULT_IMAGE = DefaultImages.FLUENT_BIT;

  /** Where the configuration is mounted in the collector. */
  public static readonly CONFIG_DIR = '/fluent-bit/config';

  /** Where the collector keeps its tail position database. */
  public static readonly STATE_DIR = '/fluent-bit/state';

  /** Name of the configuration file (the ConfigMap key). */
  public static readonly CONFIG_FILE = 'fluent-bit.yaml';

  public readonly name: string;

  /** The directory the app writes its log files to. */
  public readonly logDir: string;

  /** The image of the collector. */
  public readonly image: string;

  /** Where the records are shipped. */
  public readonly destination: LogDestination;

  // copies of the props, taken once they are checked: a later change to the caller's objects changes nothing
  private readonly filePattern: string;
  private readonly format: LogFormat;
  private readonly multiline?: MultilineParser;
  private readonly addPodMetadata: boolean;
  private readonly resources?: kplus.ContainerResources;
  private readonly user?: number;
  private readonly logVolumeSizeLimit?: Size;

  constructor(props: LogCollectorProps) {
    const name = props?.name ?? 'log-collector';
    const scope = ValidationError.patternSubject('LogCollector', name);
    if (!props) throw new ValidationError(scope, 'props are required (got undefined). Fix: pass logDir and destination.');
    assertDnsLabel(scope, 'name', name);
    if (name.length > 56) {
      throw new ValidationError(scope,
        `name must have at most 56 characters, as it names the volume "${name}-config" (got ${got(name)}, ${name.length} characters). `
        + 'Fix: use a shorter name.');
    }
    const logDir = props.logDir;
    checkLogDir(scope, logDir);
    const filePattern = props.filePattern ?? '*.log';
    if (typeof filePattern !== 'string' || filePattern.length === 0 || filePattern.startsWith('/')
      || filePattern.split('/').includes('..') || /[,\s]/.test(filePattern)) {
      // fluent-bit reads the tail path as a comma-separated list of globs
      throw new ValidationError(scope,
        `filePattern must be a glob relative to logDir, without '..', ',' or whitespace (got ${got(filePattern)}). Fix: use a pattern like "*.log".`);
    }
    assertFluentBitLiteral(scope, 'filePattern', filePattern, 'use a pattern like "*.log".');
    if (!(props.destination instanceof LogDestination)) {
      throw new ValidationError(scope,
        `destination is required (got ${got(props.destination)}). Fix: pass e.g. LogDestination.elasticsearch({ endpoint, index }) or LogDestination.stdout().`);
    }
    const format = props.format ?? LogFormat.PLAIN;
    if (!Object.values(LogFormat).includes(format)) {
      throw new ValidationError(scope, `format must be a LogFormat (got ${got(format)}). Fix: use LogFormat.PLAIN or LogFormat.JSON.`);
    }
    if (props.multiline !== undefined && !Object.values(MultilineParser).includes(props.multiline)) {
      // fluent-bit reads multiline.parser as a comma-separated list of parser names
      throw new ValidationError(scope,
        `multiline must be a MultilineParser (got ${got(props.multiline)}). `
        + 'Fix: use MultilineParser.JAVA, MultilineParser.GO or MultilineParser.PYTHON, or omit it.');
    }
    const image = props.image ?? LogCollector.DEFAULT_IMAGE;
    assertPinnedImage(scope, 'image', image);
    assertNonRootUser(scope, 'user', props.user, `use a non-root id such as ${SecureDefaults.NON_ROOT_USER}.`);

    this.name = name;
    this.logDir = logDir;
    this.image = image;
    this.destination = props.destination;
    this.filePattern = filePattern;
    this.format = format;
    this.multiline = props.multiline;
    this.addPodMetadata = props.addPodMetadata ?? true;
    this.resources = copyResources(props.resources);
    this.user = props.user;
    this.logVolumeSizeLimit = props.logVolumeSizeLimit;
  }

  public attach(host: PodPatternHost): void {
    const scope = ValidationError.patternSubject('LogCollector', this.name);
    for (const existing of host.mainMountPaths) {
      if (normalizePath(existing) === normalizePath(this.logDir)) {
        throw new ValidationError(scope,
          `logDir ${got(this.logDir)} is already mounted by the main container "${host.mainContainerName}"; a second volume at the `
          + 'same path is rejected by Kubernetes. Fix: log to another directory, or remove the existing mount.');
      }
      if (pathsOverlap(existing, this.logDir)) {
        throw new ValidationError(scope,
          `logDir ${got(this.logDir)} overlaps the existing mount ${got(existing)} of the main container "${host.mainContainerName}"; `
          + `one volume would hide part of the other. Fix: use a logDir that neither contains nor lies beneath ${got(existing)}.`);
      }
    }

    const logs = `${this.name}-logs`;
    const state = `${this.name}-state`;
    host.sharedVolume(logs, this.logVolumeSizeLimit ? { sizeLimit: this.logVolumeSizeLimit } : undefined);
    host.sharedVolume(state, { sizeLimit: Size.mebibytes(64) });
    host.mountOnMain({ volume: logs, path: this.logDir });

    const content = renderFluentBitConfig({
      tailPath: `${normalizePath(this.logDir)}/${this.filePattern}`,
      positionDb: `${LogCollector.STATE_DIR}/tail.db`,
      json: this.format === LogFormat.JSON,
      multiline: this.multiline,
      podMetadataContainer: this.addPodMetadata ? host.mainContainerName : undefined,
      outputPlugin: this.destination.plugin,
      outputSettings: this.destination._settings(),
    });
    const config = host.addConfigMap('Config', [{ key: LogCollector.CONFIG_FILE, content }]);

    const envVariables: { [name: string]: kplus.EnvValue } = {
      [POD_NAME_ENV]: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      [POD_NAMESPACE_ENV]: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
    };
    for (const s of this.destination._secrets()) envVariables[s.env] = s.value.envValue();

    const collector = host.addSidecar({
      name: this.name,
      image: this.image,
      command: ['/fluent-bit/bin/fluent-bit', '-c', `${LogCollector.CONFIG_DIR}/${LogCollector.CONFIG_FILE}`],
      envVariables,
      resources: this.resources,
      securityContext: SecureDefaults.containerSecurityContext(this.user),
      namedMounts: [
        { volume: logs, path: this.logDir, readOnly: true },
        { volume: state, path: LogCollector.STATE_DIR },
      ],
    });
    collector.mount(LogCollector.CONFIG_DIR, host.configMapVolume(config, `${this.name}-config`), { readOnly: true });
  }
}

// ---------------------------------------------------------------------------

/** What fluent-bit's tail input reads as more than one path, or as a glob: ',', '*', '?', '[', ']' and '\'. */
const TAIL_PATH_SPECIAL = /[,*?[\]\\]/;

function checkLogDir(scope: string, logDir: string): void {
  if (typeof logDir !== 'string') {
    throw new ValidationError(scope, `logDir is required (got ${got(logDir)}). Fix: pass the directory the app logs to, e.g. "/var/log/app".`);
  }
  assertAbsolutePath(scope, 'logDir', logDir);
  if (normalizePath(logDir) === '/') {
    throw new ValidationError(scope, 'logDir must not be "/" (got "/"). Fix: use the directory the app logs to, e.g. "/var/log/app".');
  }
  const fix = 'log to a directory whose path is plain, e.g. "/var/log/app", and choose the files with filePattern.';
  assertFluentBitLiteral(scope, 'logDir', logDir, fix);
  if (TAIL_PATH_SPECIAL.test(logDir)) {
    throw new ValidationError(scope,
      `logDir must not contain ',', '*', '?', '[', ']' or '\\' (got ${got(logDir)}); fluent-bit reads the tail path as a `
      + 'comma-separated list of glob patterns, so the collector would tail other files than the ones the app writes. '
      + `Fix: ${fix}`);
  }
  for (const [what, dir] of [['CONFIG_DIR', LogCollector.CONFIG_DIR], ['STATE_DIR', LogCollector.STATE_DIR]]) {
    if (pathsOverlap(logDir, dir)) {
      throw new ValidationError(scope,
        `logDir ${got(logDir)} overlaps the collector's own ${what} ${got(dir)}; the collector mounts the log volume at `
        + 'the same path as the app, so one mount would hide the other. Fix: log to a directory outside /fluent-bit, e.g. "/var/log/app".');
    }
  }
}
