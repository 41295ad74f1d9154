import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultImages } from './default-images';
import { IEndpoint } from '../dependencies/endpoint';
import { SecretKeyRef } from '../dependencies/secret-ref';
import { IPodPattern, PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertAbsolutePath, assertDnsLabel, assertPinnedImage, normalizePath, pathsOverlap } from '../pod/validators';

/**
 * Options of `LogDestination.elasticsearch`.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/outputs/elasticsearch
 */
export interface ElasticsearchDestinationOptions {
  /** The Elasticsearch HTTP endpoint, e.g. `Endpoint.of('es.example.com', 9200, { scheme: 'https' })`. */
  readonly endpoint: IEndpoint;

  /** Index the records are written to (lowercase, e.g. "app-logs"). */
  readonly index: string;

  /**
   * User for HTTP basic authentication. Requires `password`.
   * @default - no authentication
   */
  readonly user?: string;

  /**
   * Password for HTTP basic authentication: a key of an existing Secret
   * (e.g. `SecretKeyRef.of(this, 'es-credentials', 'password')`), injected
   * into the collector as an environment variable. Requires `user`.
   * @default - no authentication
   */
  readonly password?: SecretKeyRef;

  /**
   * Talk TLS to the endpoint.
   * @default - true when the endpoint's scheme is "https", false otherwise
   */
  readonly tls?: boolean;

  /**
   * Verify the endpoint's TLS certificate.
   * @default true
   */
  readonly tlsVerify?: boolean;
}

/**
 * A label attached to every log stream sent to Loki.
 */
export interface LokiLabel {
  /** Label name (letters, digits and '_', not starting with a digit). */
  readonly name: string;

  /**
   * Label value: a literal, or a fluent-bit record accessor such as
   * `$pod_name`. Keep the set of values small; every distinct value is a
   * separate stream.
   */
  readonly value: string;
}

/**
 * Options of `LogDestination.loki`.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/outputs/loki
 */
export interface LokiDestinationOptions {
  /** The Loki endpoint (the push API is at `/loki/api/v1/push`). */
  readonly endpoint: IEndpoint;

  /**
   * Stream labels.
   * @default - fluent-bit's default, `job=fluent-bit`
   */
  readonly labels?: LokiLabel[];

  /**
   * Tenant (`X-Scope-OrgID`) of a multi-tenant Loki.
   * @default - none
   */
  readonly tenantId?: string;

  /**
   * User for HTTP basic authentication. Requires `password`.
   * @default - no authentication
   */
  readonly user?: string;

  /**
   * Password for HTTP basic authentication: a key of an existing Secret
   * (e.g. `SecretKeyRef.of(this, 'loki-credentials', 'password')`), injected
   * into the collector as an environment variable. Requires `user`.
   * @default - no authentication
   */
  readonly password?: SecretKeyRef;

  /**
   * Talk TLS to the endpoint.
   * @default - true when the endpoint's scheme is "https", false otherwise
   */
  readonly tls?: boolean;

  /**
   * Verify the endpoint's TLS certificate.
   * @default true
   */
  readonly tlsVerify?: boolean;
}

/**
 * Options of `LogDestination.forward`.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/outputs/forward
 */
export interface ForwardDestinationOptions {
  /** The Fluentd or Fluent Bit aggregator that receives the Forward protocol (usually port 24224). */
  readonly endpoint: IEndpoint;

  /**
   * Shared key of the secure forward handshake: a key of an existing Secret
   * (e.g. `SecretKeyRef.of(this, 'fluentd', 'shared-key')`), injected into
   * the collector as an environment variable.
   * @default - no handshake
   */
  readonly sharedKey?: SecretKeyRef;

  /**
   * Talk TLS to the endpoint.
   * @default false
   */
  readonly tls?: boolean;

  /**
   * Verify the endpoint's TLS certificate.
   * @default true
   */
  readonly tlsVerify?: boolean;
}

/** A secret the collector receives as an environment variable. */
type SecretEnv = { readonly env: string; readonly value: SecretKeyRef };

/** The settings of a fluent-bit output (after its `name` and `match` keys). */
type OutputSettings = { [key: string]: string | number };

/** A fluent-bit output, and the secrets it refers to. */
interface OutputSpec {
  readonly settings: OutputSettings;
  readonly secrets: SecretEnv[];
}

/**
 * Where a {@link LogCollector} ships the log records.
 *
 * Credentials are only ever taken as references to keys of existing Secrets;
 * they reach the collector as environment variables and the rendered
 * configuration refers to those variables, so no secret is written into a
 * ConfigMap or into the synthesized YAML.
 */
export class LogDestination {
  /**
   * Ship to Elasticsearch (or OpenSearch with its Elasticsearch API).
   */
  public static elasticsearch(options: ElasticsearchDestinationOptions): LogDestination {
    const scope = 'LogDestination.elasticsearch';
    const endpoint = checkEndpoint(scope, options?.endpoint);
    if (typeof options.index !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(options.index) || options.index.length > 255) {
      throw new ValidationError(scope,
        'index must be a lowercase Elasticsearch index name: letters, digits, \'.\', \'_\' or \'-\', starting with a letter or digit '
        + `(got ${got(options.index)}). Fix: use a name like "app-logs".`);
    }
    const settings: OutputSettings = {
      host: endpoint.host,
      port: endpoint.port,
      index: options.index,
      suppress_type_name: 'on',
      trace_error: 'on',
    };
    const secrets = basicAuth(scope, settings, options.user, options.password, 'FLB_ES_PASSWORD');
    addTls(settings, options.tls ?? endpoint.scheme === 'https', options.tlsVerify);
    return new LogDestination('es', { settings, secrets });
  }

  /**
   * Ship to Grafana Loki.
   */
  public static loki(options: LokiDestinationOptions): LogDestination {
    const scope = 'LogDestination.loki';
    const endpoint = checkEndpoint(scope, options?.endpoint);
    const settings: OutputSettings = { host: endpoint.host, port: endpoint.port };
    if (options.labels !== undefined) {
      if (options.labels.length === 0) {
        throw new ValidationError(scope, 'labels must not be empty (got []). Fix: omit labels for the default job=fluent-bit, or give at least one.');
      }
      const seen = new Set<string>();
      for (const l of options.labels) {
        if (!l || typeof l.name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l.name)) {
          throw new ValidationError(scope,
            `label name must be letters, digits and '_', not starting with a digit (got ${got(l?.name)}). Fix: use a name like "app".`);
        }
        if (seen.has(l.name)) {
          throw new ValidationError(scope, `label ${got(l.name)} is given twice. Fix: give each label once.`);
        }
        seen.add(l.name);
        if (typeof l.value !== 'string' || l.value.length === 0 || /[,="\s]/.test(l.value)) {
          throw new ValidationError(scope,
            `value of label ${got(l.name)} must be non-empty, without ',', '=', '"' or whitespace (got ${got(l.value)}). `
            + 'Fix: use a value like "web" or a record accessor like "$pod_name".');
        }
      }
      settings.labels = options.labels.map(l => `${l.name}=${l.value}`).join(', ');
    }
    if (options.tenantId !== undefined) {
      if (typeof options.tenantId !== 'string' || !/^[A-Za-z0-9!._*'()-]+$/.test(options.tenantId)) {
        throw new ValidationError(scope,
          `tenantId must be a Loki tenant id: letters, digits and !-_.*'() (got ${got(options.tenantId)}).`);
      }
      settings.tenant_id = options.tenantId;
    }
    settings.line_format = 'json';
    const secrets = basicAuth(scope, settings, options.user, options.password, 'FLB_LOKI_PASSWORD');
    addTls(settings, options.tls ?? endpoint.scheme === 'https', options.tlsVerify);
    return new LogDestination('loki', { settings, secrets });
  }

  /**
   * Ship with the Forward protocol to a Fluentd or Fluent Bit aggregator.
   */
  public static forward(options: ForwardDestinationOptions): LogDestination {
    const scope = 'LogDestination.forward';
    const endpoint = checkEndpoint(scope, options?.endpoint);
    const settings: OutputSettings = { host: endpoint.host, port: endpoint.port };
    const secrets: SecretEnv[] = [];
    if (options.sharedKey !== undefined) {
      checkSecretKeyRef(scope, 'sharedKey', 'shared-key', options.sharedKey);
      settings.shared_key = '${FLB_FORWARD_SHARED_KEY}';
      settings.self_hostname = '${POD_NAME}';
      secrets.push({ env: 'FLB_FORWARD_SHARED_KEY', value: options.sharedKey });
    }
    addTls(settings, options.tls ?? false, options.tlsVerify);
    return new LogDestination('forward', { settings, secrets });
  }

  /**
   * Print the records to the collector's standard output, one JSON object a
   * line (for trying things out, or for a node-level agent that collects
   * container output).
   */
  public static stdout(): LogDestination {
    return new LogDestination('stdout', { settings: { format: 'json_lines' }, secrets: [] });
  }

  /** The fluent-bit output plugin: "es", "loki", "forward" or "stdout". */
  public readonly plugin: string;

  private readonly spec: OutputSpec;

  private constructor(plugin: string, spec: OutputSpec) {
    this.plugin = plugin;
    this.spec = spec;
  }

  /** @internal the output's settings, after `name` and `match`. */
  public _settings(): { [key: string]: string | number } {
    return { ...this.spec.settings };
  }

  /** @internal the Secret keys the collector needs as environment variables. */
  public _secrets(): { readonly env: string; readonly value: SecretKeyRef }[] {
    return [...this.spec.secrets];
  }
}

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

  private readonly props: LogCollectorProps;
  private readonly filePattern: string;

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
    if (typeof props.logDir !== 'string') {
      throw new ValidationError(scope, `logDir is required (got ${got(props.logDir)}). Fix: pass the directory the app logs to, e.g. "/var/log/app".`);
    }
    assertAbsolutePath(scope, 'logDir', props.logDir);
    if (normalizePath(props.logDir) === '/') {
      throw new ValidationError(scope, 'logDir must not be "/" (got "/"). Fix: use the directory the app logs to, e.g. "/var/log/app".');
    }
    for (const [what, dir] of [['CONFIG_DIR', LogCollector.CONFIG_DIR], ['STATE_DIR', LogCollector.STATE_DIR]]) {
      if (pathsOverlap(props.logDir, dir)) {
        throw new ValidationError(scope,
          `logDir ${got(props.logDir)} overlaps the collector's own ${what} ${got(dir)}; the collector mounts the log volume at `
          + 'the same path as the app, so one mount would hide the other. Fix: log to a directory outside /fluent-bit, e.g. "/var/log/app".');
      }
    }
    const filePattern = props.filePattern ?? '*.log';
    if (typeof filePattern !== 'string' || filePattern.length === 0 || filePattern.startsWith('/')
      || filePattern.split('/').includes('..') || /[,\s]/.test(filePattern)) {
      throw new ValidationError(scope,
        `filePattern must be a glob relative to logDir, without '..', ',' or whitespace (got ${got(filePattern)}). Fix: use a pattern like "*.log".`);
    }
    if (!(props.destination instanceof LogDestination)) {
      throw new ValidationError(scope,
        `destination is required (got ${got(props.destination)}). Fix: pass e.g. LogDestination.elasticsearch({ endpoint, index }) or LogDestination.stdout().`);
    }
    const image = props.image ?? LogCollector.DEFAULT_IMAGE;
    assertPinnedImage(scope, 'image', image);
    if (props.user !== undefined && (!Number.isInteger(props.user) || props.user < 1)) {
      throw new ValidationError(scope,
        `user must be a numeric user id >= 1 (got ${got(props.user)}); 0 is root, which the restricted Pod Security Standard forbids. `
        + `Fix: use a non-root id such as ${SecureDefaults.NON_ROOT_USER}.`);
    }
    this.name = name;
    this.logDir = props.logDir;
    this.image = image;
    this.destination = props.destination;
    this.filePattern = filePattern;
    this.props = props;
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
    host.sharedVolume(logs, this.props.logVolumeSizeLimit ? { sizeLimit: this.props.logVolumeSizeLimit } : undefined);
    host.sharedVolume(state, { sizeLimit: Size.mebibytes(64) });
    host.mountOnMain({ volume: logs, path: this.logDir });

    const config = host.addConfigMap('Config', [{ key: LogCollector.CONFIG_FILE, content: this.renderConfig(host.mainContainerName) }]);

    const envVariables: { [name: string]: kplus.EnvValue } = {
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
    };
    for (const s of this.destination._secrets()) envVariables[s.env] = s.value.envValue();

    const collector = host.addSidecar({
      name: this.name,
      image: this.image,
      command: ['/fluent-bit/bin/fluent-bit', '-c', `${LogCollector.CONFIG_DIR}/${LogCollector.CONFIG_FILE}`],
      envVariables,
      resources: this.props.resources,
      securityContext: SecureDefaults.containerSecurityContext(this.props.user),
      namedMounts: [
        { volume: logs, path: this.logDir, readOnly: true },
        { volume: state, path: LogCollector.STATE_DIR },
      ],
    });
    collector.mount(LogCollector.CONFIG_DIR, host.configMapVolume(config, `${this.name}-config`), { readOnly: true });
  }

  /**
   * The fluent-bit configuration, in its YAML format: block mappings and
   * lists, with every value that comes from props quoted when YAML would
   * read it as something other than the same string.
   */
  private renderConfig(mainContainerName: string): string {
    const json = (this.props.format ?? LogFormat.PLAIN) === LogFormat.JSON;
    const addPodMetadata = this.props.addPodMetadata ?? true;
    const lines = ['service:', '  flush: 1', '  log_level: info', '  http_server: off'];
    if (json) lines.push('parsers:', '  - name: app-json', '    format: json');
    lines.push(
      'pipeline:',
      '  inputs:',
      '    - name: tail',
      '      tag: app',
      `      path: ${scalar(`${normalizePath(this.logDir)}/${this.filePattern}`)}`,
      '      path_key: file',
      `      db: ${LogCollector.STATE_DIR}/tail.db`,
      '      db.locking: on',
      '      read_from_head: on',
      '      refresh_interval: 5',
      '      skip_long_lines: on',
      '      mem_buf_limit: 16MB',
    );
    if (this.props.multiline) lines.push(`      multiline.parser: ${scalar(this.props.multiline)}`);
    if (json || addPodMetadata) lines.push('  filters:');
    if (json) lines.push('    - name: parser', '      match: "*"', '      key_name: log', '      parser: app-json', '      reserve_data: on');
    if (addPodMetadata) {
      lines.push(
        '    - name: record_modifier',
        '      match: "*"',
        '      record:',
        '        - "pod_name ${POD_NAME}"',
        '        - "namespace ${POD_NAMESPACE}"',
        `        - ${scalar(`container ${mainContainerName}`)}`,
      );
    }
    lines.push('  outputs:', `    - name: ${scalar(this.destination.plugin)}`, '      match: "*"');
    const settings = this.destination._settings();
    for (const key of Object.keys(settings)) lines.push(`      ${key}: ${scalar(settings[key])}`);
    lines.push('');
    return lines.join('\n');
  }
}

// ---------------------------------------------------------------------------

/** A plain scalar when that reads back as the same string, else a double-quoted one. */
function scalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  let quoted = SCALARS.get(value);
  if (quoted === undefined) {
    quoted = quoteScalar(value);
    if (SCALARS.size >= 4096) SCALARS.clear();
    SCALARS.set(value, quoted);
  }
  return quoted;
}

/** Rendered scalars: the same keys and values recur in every collector's configuration. */
const SCALARS = new Map<string, string>();

function quoteScalar(value: string): string {
  const plain = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/.test(value)
    && !/^[-+]?[0-9._]+([eE][-+]?[0-9]+)?$/.test(value)
    && !/^0[xob]/i.test(value)
    && !/^(true|false|yes|no|y|n|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function checkEndpoint(scope: ErrorScope, endpoint?: IEndpoint): IEndpoint {
  if (!endpoint || typeof endpoint.host !== 'string' || endpoint.host.length === 0
    || !Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
    throw new ValidationError(scope,
      `endpoint must be an IEndpoint with a host and a port between 1 and 65535 (got ${got(endpoint)}). `
      + 'Fix: pass a service of this app, an ExternalService, or Endpoint.of(host, port).');
  }
  return endpoint;
}

function checkSecretKeyRef(scope: ErrorScope, what: string, exampleKey: string, value: unknown): void {
  if (!(value instanceof SecretKeyRef)) {
    const received = typeof value === 'string' ? 'a plain string'
      : typeof value === 'object' && value !== null ? 'an object that is not a SecretKeyRef' : got(value);
    throw new ValidationError(scope,
      `${what} must be a SecretKeyRef to a key of an existing Secret (got ${received}); `
      + `secrets are never written into manifests. Fix: pass SecretKeyRef.of(this, "my-secret", "${exampleKey}").`);
  }
}

function basicAuth(
  scope: ErrorScope, settings: OutputSettings, user: string | undefined, password: SecretKeyRef | undefined, env: string,
): SecretEnv[] {
  if (password === undefined && user === undefined) return [];
  if (password !== undefined) checkSecretKeyRef(scope, 'password', 'password', password);
  if (user === undefined) {
    throw new ValidationError(scope, 'password was given without user (got user undefined). Fix: pass user as well, or drop password.');
  }
  if (typeof user !== 'string' || user.length === 0 || /[\s:]/.test(user)) {
    throw new ValidationError(scope, `user must be a non-empty user name without whitespace or ':' (got ${got(user)}).`);
  }
  if (password === undefined) {
    throw new ValidationError(scope,
      `user ${got(user)} was given without password. Fix: pass password as a SecretKeyRef to an existing Secret key, or drop user.`);
  }
  settings.http_user = user;
  settings.http_passwd = `\${${env}}`;
  return [{ env, value: password }];
}

function addTls(settings: OutputSettings, tls: boolean, verify?: boolean): void {
  settings.tls = tls ? 'on' : 'off';
  if (tls) settings['tls.verify'] = (verify ?? true) ? 'on' : 'off';
}
