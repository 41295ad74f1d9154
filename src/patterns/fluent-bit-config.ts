/**
 * fluent-bit's YAML configuration, as the log collector renders it, and the
 * rules a value must follow to reach fluent-bit as the literal string it was
 * given.
 *
 * Internal to the library: nothing here is exported from the package.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/yaml
 */
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
 * The configuration file, in fluent-bit's YAML format (block style). Its
 * layout is fixed and written as it reads, one line per entry; every value
 * that comes from the spec goes through `yamlScalar`, so it is one scalar of
 * the document whatever characters it holds. What fluent-bit itself makes of
 * a value is checked where the value is accepted (see `assertFluentBitLiteral`).
 */
export function renderFluentBitConfig(spec: FluentBitConfigSpec): string {
  const lines = [
    'service:',
    '  flush: 1',
    '  log_level: info',
    '  http_server: off',
  ];
  if (spec.json) {
    lines.push(
      'parsers:',
      '  - name: app-json',
      '    format: json',
    );
  }
  lines.push(
    'pipeline:',
    '  inputs:',
    '    - name: tail',
    '      tag: app',
    `      path: ${yamlScalar(spec.tailPath)}`,
    '      path_key: file',
    `      db: ${yamlScalar(spec.positionDb)}`,
    '      db.locking: on',
    '      read_from_head: on',
    '      refresh_interval: 5',
    '      skip_long_lines: on',
    '      mem_buf_limit: 16MB',
  );
  if (spec.multiline !== undefined) lines.push(`      multiline.parser: ${yamlScalar(spec.multiline)}`);
  if (spec.json || spec.podMetadataContainer !== undefined) lines.push('  filters:');
  if (spec.json) {
    lines.push(
      '    - name: parser',
      '      match: "*"',
      '      key_name: log',
      '      parser: app-json',
      '      reserve_data: on',
    );
  }
  if (spec.podMetadataContainer !== undefined) {
    lines.push(
      '    - name: record_modifier',
      '      match: "*"',
      '      record:',
      `        - ${yamlScalar(`pod_name ${envReference(POD_NAME_ENV)}`)}`,
      `        - ${yamlScalar(`namespace ${envReference(POD_NAMESPACE_ENV)}`)}`,
      `        - ${yamlScalar(`container ${spec.podMetadataContainer}`)}`,
    );
  }
  // one mapping, so that a setting named like the first two keys takes their place rather than repeating them
  const output: FluentBitSettings = { name: spec.outputPlugin, match: '*', ...spec.outputSettings };
  lines.push('  outputs:');
  let linePad = '    - ';
  for (const key of Object.keys(output)) {
    lines.push(`${linePad}${yamlScalar(key)}: ${yamlScalar(output[key])}`);
    linePad = '      ';
  }
  lines.push('');
  return lines.join('\n');
}

/** Plain scalars starting with a digit that YAML reads as a number, not a string. */
const NUMBER_LIKE = /^(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
/** Plain scalars starting with a letter that YAML reads as a bool or null, not a string. */
const NOT_A_STRING_WORDS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO']);

/**
 * Whether YAML reads `value` written plain as the string itself: it starts
 * with a letter, digit, '_' or '/' and goes on with those, '.' or '-' (no
 * indicator, space, quote or comment), and it is no number, bool or null.
 */
function readsBackPlain(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const safe = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 47
      || (i > 0 && (c === 46 || c === 45));
    if (!safe) return false;
  }
  const first = value.charCodeAt(0);
  return first >= 48 && first <= 57 ? !NUMBER_LIKE.test(value) : !NOT_A_STRING_WORDS.has(value);
}

/**
 * One scalar: a number as it is, a string plain when YAML reads it back as the
 * same string, else double-quoted by `JSON.stringify`, whose output is a YAML
 * double-quoted scalar (JSON's escapes are YAML's). Written without the
 * generic `yaml` serializer, which costs about 0.2 ms per collector, the
 * largest part of a workload's synth time (see bench/README.md); a test
 * parses random values back with the `yaml` library.
 */
export function yamlScalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return readsBackPlain(value) ? value : JSON.stringify(value);
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
