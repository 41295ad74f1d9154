/**
 * fluent-bit's YAML configuration, as the log collector renders it, and the
 * rules a value must follow to reach fluent-bit as the literal string it was
 * given.
 *
 * Internal to the library: nothing here is exported from the package.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/yaml
 */
import { stringify } from 'yaml';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope } from '../pod/validators';

/** The settings of a fluent-bit plugin after its `name` and `match`, in the order they are written. */
export type FluentBitSettings = { readonly [key: string]: string | number };

/** What the collector's configuration is made of. */
export interface FluentBitConfigSpec {
  /** The tail input's `path`: one glob of the files to read. */
  readonly tailPath: string;

  /** The tail position database, on a writable volume. */
  readonly positionDb: string;

  /** Parse every line as JSON with a parser declared in the configuration. */
  readonly json: boolean;

  /** A built-in multiline parser of the tail input (a `MultilineParser` value). */
  readonly multiline?: string;

  /**
   * The main container's name: when given, a `record_modifier` adds
   * `pod_name`, `namespace` and `container` to every record.
   */
  readonly podMetadataContainer?: string;

  /** The output plugin. */
  readonly outputPlugin: string;

  /** The output plugin's settings. */
  readonly outputSettings: FluentBitSettings;
}

/** The environment variables the collector is given for the Pod metadata (downward API). */
export const POD_NAME_ENV = 'POD_NAME';
export const POD_NAMESPACE_ENV = 'POD_NAMESPACE';

/** A reference to an environment variable of the collector, expanded by fluent-bit when it reads its configuration. */
export function envReference(name: string): string {
  return `\${${name}}`;
}

/**
 * The configuration file, in fluent-bit's YAML format. Every value is
 * written by the `yaml` library (block style, no line folding), so a value
 * is one scalar of the document whatever characters it holds; what fluent-bit
 * itself makes of a value is checked where the value is accepted (see
 * `assertFluentBitLiteral`).
 */
export function renderFluentBitConfig(spec: FluentBitConfigSpec): string {
  const input: { [key: string]: string | number } = {
    'name': 'tail',
    'tag': 'app',
    'path': spec.tailPath,
    'path_key': 'file',
    'db': spec.positionDb,
    'db.locking': 'on',
    'read_from_head': 'on',
    'refresh_interval': 5,
    'skip_long_lines': 'on',
    'mem_buf_limit': '16MB',
  };
  if (spec.multiline !== undefined) input['multiline.parser'] = spec.multiline;

  const filters: object[] = [];
  if (spec.json) {
    filters.push({ name: 'parser', match: '*', key_name: 'log', parser: 'app-json', reserve_data: 'on' });
  }
  if (spec.podMetadataContainer !== undefined) {
    filters.push({
      name: 'record_modifier',
      match: '*',
      record: [
        `pod_name ${envReference(POD_NAME_ENV)}`,
        `namespace ${envReference(POD_NAMESPACE_ENV)}`,
        `container ${spec.podMetadataContainer}`,
      ],
    });
  }

  const config = {
    service: { flush: 1, log_level: 'info', http_server: 'off' },
    ...(spec.json ? { parsers: [{ name: 'app-json', format: 'json' }] } : {}),
    pipeline: {
      inputs: [input],
      ...(filters.length > 0 ? { filters } : {}),
      outputs: [{ name: spec.outputPlugin, match: '*', ...spec.outputSettings }],
    },
  };
  return stringify(config, { lineWidth: 0 });
}

/** C0 control characters and DEL: never part of a path, a name or a label. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Throws unless fluent-bit reads `value` as the literal string it is: it
 * must not hold `${`, which fluent-bit replaces with an environment variable
 * of the collector in every configuration value (it documents no escape, so
 * the value is refused, not escaped), nor a control character.
 *
 * @param what the value, as the message names it, e.g. `value of label "app"`
 * @param fix the sentence after "Fix:"
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/variables
 */
export function assertFluentBitLiteral(scope: ErrorScope, what: string, value: string, fix: string): void {
  if (value.includes('${')) {
    throw new ValidationError(scope,
      `${what} contains "\${" (got ${got(value)}); fluent-bit replaces \${NAME} in every configuration value with the `
      + 'environment variable NAME of the collector and has no escape for it, so the value would not arrive as written and '
      + `could reveal a secret the collector holds, such as its password. Fix: ${fix}`);
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw new ValidationError(scope,
      `${what} contains a control character (got ${got(value)}); fluent-bit would not read it as one value. Fix: ${fix}`);
  }
}
