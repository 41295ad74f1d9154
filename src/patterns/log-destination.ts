import { assertFluentBitLiteral, envReference, FluentBitSettings, POD_NAME_ENV } from './fluent-bit-config';
import { IEndpoint } from '../dependencies/endpoint';
import { SecretKeyRef } from '../dependencies/secret-ref';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertPort, isHostName, isIpAddress, isIpv6Address } from '../pod/validators';

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
interface SecretEnv {
  readonly env: string;
  readonly value: SecretKeyRef;
}

/** The environment variables that carry the destinations' secrets into the collector. */
const ES_PASSWORD_ENV = 'FLB_ES_PASSWORD';
const LOKI_PASSWORD_ENV = 'FLB_LOKI_PASSWORD';
const FORWARD_SHARED_KEY_ENV = 'FLB_FORWARD_SHARED_KEY';

/** A fluent-bit output, and the secrets it refers to. */
interface OutputSpec {
  readonly settings: FluentBitSettings;
  readonly secrets: SecretEnv[];
}

/**
 * Where a `LogCollector` ships the log records.
 *
 * Credentials are only ever taken as references to keys of existing Secrets;
 * they reach the collector as environment variables and the rendered
 * configuration refers to those variables, so no secret is written into a
 * ConfigMap or into the synthesized YAML. Every other value reaches
 * fluent-bit as written: values fluent-bit would expand (`${...}`) or split
 * are refused.
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
    const settings: { [key: string]: string | number } = {
      host: endpoint.host,
      port: endpoint.port,
      index: options.index,
      suppress_type_name: 'on',
      trace_error: 'on',
    };
    const secrets = basicAuth(scope, settings, options.user, options.password, ES_PASSWORD_ENV);
    addTls(settings, options.tls ?? endpoint.scheme === 'https', options.tlsVerify);
    return new LogDestination('es', { settings, secrets });
  }

  /**
   * Ship to Grafana Loki.
   */
  public static loki(options: LokiDestinationOptions): LogDestination {
    const scope = 'LogDestination.loki';
    const endpoint = checkEndpoint(scope, options?.endpoint);
    const settings: { [key: string]: string | number } = { host: endpoint.host, port: endpoint.port };
    if (options.labels !== undefined) {
      // one copy, read once: the labels checked are the labels rendered
      const labels = [...options.labels].map(l => ({ name: l?.name, value: l?.value }));
      if (labels.length === 0) {
        throw new ValidationError(scope, 'labels must not be empty (got []). Fix: omit labels for the default job=fluent-bit, or give at least one.');
      }
      const seen = new Set<string>();
      for (const l of labels) {
        if (typeof l.name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l.name)) {
          throw new ValidationError(scope,
            `label name must be letters, digits and '_', not starting with a digit (got ${got(l.name)}). Fix: use a name like "app".`);
        }
        if (seen.has(l.name)) {
          throw new ValidationError(scope, `label ${got(l.name)} is given twice. Fix: give each label once.`);
        }
        seen.add(l.name);
        const fix = 'use a value like "web" or a record accessor like "$pod_name".';
        if (typeof l.value === 'string') assertFluentBitLiteral(scope, `value of label ${got(l.name)}`, l.value, fix);
        if (typeof l.value !== 'string' || l.value.length === 0 || /[,="\s]/.test(l.value)) {
          // fluent-bit reads labels as a comma-separated list of name=value pairs
          throw new ValidationError(scope,
            `value of label ${got(l.name)} must be non-empty, without ',', '=', '"' or whitespace (got ${got(l.value)}). Fix: ${fix}`);
        }
      }
      settings.labels = labels.map(l => `${l.name}=${l.value}`).join(', ');
    }
    if (options.tenantId !== undefined) {
      if (typeof options.tenantId !== 'string' || !/^[A-Za-z0-9!._*'()-]+$/.test(options.tenantId)) {
        throw new ValidationError(scope,
          `tenantId must be a Loki tenant id: letters, digits and !-_.*'() (got ${got(options.tenantId)}). Fix: use an id like "team-a".`);
      }
      settings.tenant_id = options.tenantId;
    }
    settings.line_format = 'json';
    const secrets = basicAuth(scope, settings, options.user, options.password, LOKI_PASSWORD_ENV);
    addTls(settings, options.tls ?? endpoint.scheme === 'https', options.tlsVerify);
    return new LogDestination('loki', { settings, secrets });
  }

  /**
   * Ship with the Forward protocol to a Fluentd or Fluent Bit aggregator.
   */
  public static forward(options: ForwardDestinationOptions): LogDestination {
    const scope = 'LogDestination.forward';
    const endpoint = checkEndpoint(scope, options?.endpoint);
    const settings: { [key: string]: string | number } = { host: endpoint.host, port: endpoint.port };
    const secrets: SecretEnv[] = [];
    if (options.sharedKey !== undefined) {
      checkSecretKeyRef(scope, 'sharedKey', 'shared-key', options.sharedKey);
      settings.shared_key = envReference(FORWARD_SHARED_KEY_ENV);
      settings.self_hostname = envReference(POD_NAME_ENV);
      secrets.push({ env: FORWARD_SHARED_KEY_ENV, value: options.sharedKey });
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

// ---------------------------------------------------------------------------

const ENDPOINT_FIX = 'pass a service of this app, an ExternalService, or Endpoint.of(host, port).';

/** The endpoint, once its host is one host fluent-bit can connect to and its port a port. */
function checkEndpoint(scope: ErrorScope, endpoint?: IEndpoint): { readonly host: string; readonly port: number; readonly scheme?: string } {
  if (endpoint === null || typeof endpoint !== 'object') {
    throw new ValidationError(scope, `endpoint is required (got ${got(endpoint)}). Fix: ${ENDPOINT_FIX}`);
  }
  // read once: the values checked are the values rendered
  const { host, port, scheme } = endpoint;
  // an IPv6 address may come in URL brackets ("[fd00::12]"); fluent-bit takes the bare address
  const bracketed = typeof host === 'string' && host.startsWith('[') && host.endsWith(']') && isIpv6Address(host.slice(1, -1));
  const bare = bracketed ? host.slice(1, -1) : host;
  if (typeof bare !== 'string' || !(isHostName(bare) || isIpAddress(bare))) {
    throw new ValidationError(scope,
      `endpoint host must be a DNS name or an IP address (got ${got(host)}); fluent-bit connects to it as written. Fix: ${ENDPOINT_FIX}`);
  }
  assertPort(scope, 'endpoint port', port, 'give the port the destination listens on, e.g. 9200 for Elasticsearch.');
  return { host: bare, port, scheme };
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
  scope: ErrorScope, settings: { [key: string]: string | number }, user: string | undefined, password: SecretKeyRef | undefined,
  env: string,
): SecretEnv[] {
  if (password === undefined && user === undefined) return [];
  if (password !== undefined) checkSecretKeyRef(scope, 'password', 'password', password);
  if (user === undefined) {
    throw new ValidationError(scope, 'password was given without user (got user undefined). Fix: pass user as well, or drop password.');
  }
  const fix = 'use the user name the destination knows, e.g. "log-shipper".';
  if (typeof user === 'string') assertFluentBitLiteral(scope, 'user', user, fix);
  if (typeof user !== 'string' || user.length === 0 || /[\s:]/.test(user)) {
    // HTTP basic authentication separates the user from the password with ':'
    throw new ValidationError(scope, `user must be a non-empty user name without whitespace or ':' (got ${got(user)}). Fix: ${fix}`);
  }
  if (password === undefined) {
    throw new ValidationError(scope,
      `user ${got(user)} was given without password. Fix: pass password as a SecretKeyRef to an existing Secret key, or drop user.`);
  }
  settings.http_user = user;
  settings.http_passwd = envReference(env);
  return [{ env, value: password }];
}

function addTls(settings: { [key: string]: string | number }, tls: boolean, verify?: boolean): void {
  settings.tls = tls ? 'on' : 'off';
  if (tls) settings['tls.verify'] = (verify ?? true) ? 'on' : 'off';
}
