/**
 * The one home of the library's input checks: names, ports, paths, images,
 * URLs, users, quantities and the content hash. Every `assert*` throws a
 * `ValidationError` naming the subject, the value received and the fix;
 * every `is*` is the predicate behind it, for callers that word their own
 * message.
 */
import { createHash } from 'crypto';
import { ApiObject, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { imageReferenceProblem } from './image-reference';
import { got, ValidationError } from './validation-error';

export { imageReferenceProblem } from './image-reference';

/** Where an error is reported: a construct, or a subject outside the tree (see `ValidationError`). */
export type ErrorScope = IConstruct | string;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** True for an RFC 1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True for an RFC 1035 label: an RFC 1123 label that starts with a letter (Service names). */
export function isDns1035Label(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 63 && DNS1035_LABEL.test(value);
}

/** True for an RFC 1123 subdomain: dot-separated labels, at most 253 characters (most object names). */
export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** True for a TCP/UDP port number (an integer from 1 to 65535). */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** True for a dotted IPv4 address whose octets are 0-255. */
export function isIpv4Address(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every(p => /^\d{1,3}$/.test(p) && Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
}

/** True for an IPv6 address (hex groups and colons, optionally with an embedded IPv4 tail). */
export function isIpv6Address(value: string): boolean {
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return false;
  const doubleColons = value.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = value.split(':').filter(g => g.length > 0);
  const tail = groups[groups.length - 1];
  const v4 = tail !== undefined && tail.includes('.');
  if (v4 && !isIpv4Address(tail)) return false;
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const width = hex.length + (v4 ? 2 : 0);
  return doubleColons === 1 ? width < 8 : width === 8;
}

/** True for an IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  return isIpv4Address(value) || isIpv6Address(value);
}

/**
 * True for a host name as resolvers accept it: dot-separated labels of
 * letters, digits, '-' and '_' (never a leading or trailing '-'), each at most 63 characters, at most 253
 * characters in all, an optional final dot.
 */
export function isHostName(value: unknown): value is string {
  return typeof value === 'string'
    && /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(value)
    && !/^[\d.]+$/.test(value);
}

/** True for a URL scheme such as "http" or "postgres+ssl". */
export function isUrlScheme(value: unknown): value is string {
  return typeof value === 'string' && URL_SCHEME.test(value);
}

/**
 * True for a non-empty label value: at most 63 letters, digits, '-', '_' and
 * '.', starting and ending with a letter or digit.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/** Throws unless `value` is a non-empty label value (see `isLabelValue`). */
export function assertLabelValue(scope: ErrorScope, what: string, value: string, example: string): void {
  if (!isLabelValue(value)) {
    throw new ValidationError(scope,
      `${what} must be a label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most `
      + `63 characters (got ${got(value)}, ${String(value).length} characters). Fix: use a value like "${example}".`);
  }
}

/**
 * Throws unless `value` is an RFC 1123 label (lowercase alphanumerics and '-',
 * at most 63 characters), as Kubernetes requires for container, volume and
 * Service names.
 */
export function assertDnsLabel(scope: ErrorScope, what: string, value: string): void {
  if (!isDnsLabel(value)) {
    throw new ValidationError(scope,
      `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with an alphanumeric, `
      + `at most 63 characters (got ${got(value)}, ${String(value).length} characters). Fix: use a name like "log-collector".`);
  }
}

/**
 * Throws unless `value` is a valid port name (IANA_SVC_NAME: at most 15
 * characters, lowercase alphanumerics and '-', at least one letter).
 */
export function assertPortName(scope: ErrorScope, what: string, value: string): void {
  if (!isPortName(value)) {
    throw new ValidationError(scope,
      `${what} must be an IANA service name: at most 15 lowercase letters, digits and single '-', with at least one letter `
      + `(got ${got(value)}). Fix: use a name like "http" or "metrics".`);
  }
}

/** True for an IANA service name: at most 15 lowercase letters, digits and single '-', at least one letter. */
export function isPortName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 15 && DNS1123_LABEL.test(value)
    && /[a-z]/.test(value) && !value.includes('--');
}

/**
 * Throws unless `value` is a TCP/UDP port number (1-65535).
 * @param fix the sentence after "Fix:" @default - "use the port the program listens on, e.g. 8080."
 */
export function assertPort(scope: ErrorScope, what: string, value: number, fix?: string): void {
  if (!isPort(value)) {
    throw new ValidationError(scope,
      `${what} must be an integer between 1 and 65535 (got ${got(value)}). Fix: ${fix ?? 'use the port the program listens on, e.g. 8080.'}`);
  }
}

/** Throws unless `value` is an RFC 1123 subdomain (ConfigMap, Secret and most other object names). */
export function assertDnsSubdomain(scope: ErrorScope, what: string, value: string, example: string): void {
  if (!isDnsSubdomain(value)) {
    throw new ValidationError(scope,
      `${what} must be a DNS subdomain: dot-separated lowercase letters, digits and '-', at most 253 characters `
      + `(got ${got(value)}). Fix: use a name like "${example}".`);
  }
}

/** Throws unless `value` is an RFC 1035 label (Service names). */
export function assertDns1035Label(scope: ErrorScope, what: string, value: string, example: string): void {
  if (!isDns1035Label(value)) {
    throw new ValidationError(scope,
      `${what} must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter `
      + `or digit, at most 63 characters (got ${got(value)}). Fix: use a name like "${example}".`);
  }
}

/** Throws unless `value` is a URL scheme like "http". */
export function assertUrlScheme(scope: ErrorScope, what: string, value: string): void {
  if (!isUrlScheme(value)) {
    throw new ValidationError(scope,
      `${what} must be a URL scheme: a lowercase letter, then letters, digits, '+', '-' or '.' (got ${got(value)}). `
      + 'Fix: use a scheme like "http", "https" or "postgres".');
  }
}

/**
 * Throws unless `value` is a numeric non-root user id (an integer >= 1).
 * A numeric id lets the kubelet verify `runAsNonRoot`; 0 is root, which the
 * restricted Pod Security Standard forbids.
 */
export function assertNonRootUser(scope: ErrorScope, what: string, value: number | undefined, fix: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw new ValidationError(scope,
      `${what} must be a numeric non-root user id >= 1 (got ${got(value)}); 0 is root, which the restricted Pod Security `
      + `Standard forbids. Fix: ${fix}`);
  }
}

/** Throws unless `value` is an integer >= `min`. */
export function assertIntegerAtLeast(scope: ErrorScope, what: string, value: number, min: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValidationError(scope, `${what} must be an integer >= ${min} (got ${got(value)}). Fix: ${fix}`);
  }
}

/**
 * A short content hash: sha256 over the parts, each followed by a NUL byte,
 * as 16 hex digits. Callers pass the parts in a fixed order (sorted by code
 * point where the order is not meaningful), so the hash never depends on
 * the machine's locale.
 */
export function contentHash(parts: readonly string[], length = 16): string {
  // one update of the joined parts hashes the same bytes as an update per part and per NUL, at a fraction of the cost
  return createHash('sha256').update(`${parts.join('\0')}\0`).digest('hex').slice(0, length);
}

/**
 * The hash of a Pod's ConfigMaps (their names, keys and values, in code-point
 * order), which rolls the Pods when one changes; undefined for none.
 */
export function configMapsHash(configMaps: readonly { readonly name: string; readonly data: Record<string, string> }[]): string | undefined {
  if (configMaps.length === 0) return undefined;
  const parts: string[] = [];
  for (const cm of [...configMaps].sort((a, b) => byCodePoint(a.name, b.name))) {
    parts.push(cm.name);
    const data = cm.data;
    for (const key of Object.keys(data).sort(byCodePoint)) parts.push(key, data[key]);
  }
  return contentHash(parts);
}

/**
 * Orders two strings by Unicode code point, the same on every machine and
 * under every locale (unlike a locale-aware comparison, and unlike `<`, which compares
 * UTF-16 code units and so sorts characters above U+FFFF before U+E000).
 */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // below the surrogates (U+D800 to U+DFFF) code units and code points agree
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return byCodePointSlow(a, b);
  }
  return a.length < b.length ? -1 : 1;
}

/** `byCodePoint` for strings that differ at or above the first surrogate: compared code point by code point. */
function byCodePointSlow(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length < y.length ? -1 : 1;
}

/** Throws unless `value` is a valid environment variable name. */
export function assertEnvName(scope: ErrorScope, what: string, value: string): void {
  if (!ENV_NAME.test(value)) {
    throw new ValidationError(scope,
      `${what} must be a valid environment variable name: letters, digits, '_', '-' or '.', not starting with a digit `
      + `(got ${got(value)}). Fix: use a name like "REDIS_ADDR".`);
  }
}

/** Throws unless every name of an env var map is a valid environment variable name. */
export function assertEnvNames(scope: ErrorScope, what: string, names: string[]): void {
  for (const n of names) assertEnvName(scope, `${what} env var name`, n);
}

/**
 * Throws when a container port asks for a host port: it ties the Pod to one
 * port of its node and is forbidden by Pod Security Standards (baseline and restricted).
 */
export function assertNoHostPort(scope: ErrorScope, what: string, ports: { number: number; hostPort?: number }[]): void {
  for (const p of ports) {
    if (p.hostPort !== undefined) {
      throw new ValidationError(scope,
        `${what} port ${p.number} asks for hostPort ${got(p.hostPort)}; host ports bind the Pod to one port of its node, `
        + 'limit it to one replica per node, and are forbidden by Pod Security Standards. Fix: drop hostPort and reach the '
        + 'container through a Service.');
    }
  }
}

/**
 * The problems with the name of a rendered object: every name must be a
 * DNS-1123 subdomain (at most 253 characters), and a Service name a DNS-1035
 * label (a letter first, no dots, at most 63 characters). Names come from
 * construct ids, so the fix is to rename an id.
 */
export function objectNameProblem(kind: string, name: string): string | undefined {
  if (kind === 'Service') {
    if (!isDns1035Label(name)) {
      return `the Service name ${got(name)} is not a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, `
        + 'at most 63 characters). Fix: rename the chart or construct ids on its path (e.g. "my-app" instead of "my_app", '
        + '"my.app" or "9app").';
    }
    return undefined;
  }
  if (!isDnsSubdomain(name)) {
    return `the ${kind} name ${got(name)} is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and `
      + 'ending with an alphanumeric). Fix: rename the chart or construct ids on its path (e.g. "my-app" instead of "my_app").';
  }
  return undefined;
}

/** A '..' path segment. */
const PARENT_SEGMENT = /(^|\/)\.\.(\/|$)/;

/** Throws unless `value` is an absolute path with no '..' segment. */
export function assertAbsolutePath(scope: ErrorScope, what: string, value: string): void {
  if (!value.startsWith('/') || PARENT_SEGMENT.test(value)) {
    throw new ValidationError(scope,
      `${what} must be an absolute path without '..' segments (got ${got(value)}). Fix: use a path like "/var/log/app".`);
  }
}

/** Normalizes a path for comparisons: no trailing slash, no repeated slashes. */
export function normalizePath(p: string): string {
  if (!p.includes('//') && (p.length === 1 || !p.endsWith('/'))) return p;
  const collapsed = p.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** True when one path is the other or lies beneath it. */
export function pathsOverlap(a: string, b: string): boolean {
  const x = normalizePath(a);
  const y = normalizePath(b);
  if (x === y) return true;
  const under = (inner: string, outer: string) => outer === '/' || inner.startsWith(outer + '/');
  return under(x, y) || under(y, x);
}

/**
 * Throws unless the image reference is pinned: it carries a tag other than
 * `latest`, or a digest.
 */
export function assertPinnedImage(scope: ErrorScope, what: string, image: string): void {
  const problem = imageReferenceProblem(image);
  if (problem) {
    throw new ValidationError(scope, `${what} ${got(image)} is not an image reference a container runtime can pull: ${problem}. `
      + 'Fix: write it as [registry/]repository[:tag][@digest] with a lowercase repository, e.g. "registry.example.com/team/app:1.2.3".');
  }
  if (image.includes('@sha256:')) return;
  const lastSlash = image.lastIndexOf('/');
  const lastColon = image.lastIndexOf(':');
  const tag = lastColon > lastSlash ? image.slice(lastColon + 1) : undefined;
  if (!tag) {
    throw new ValidationError(scope,
      `${what} ${got(image)} has no tag, so every pull may fetch a different image. Fix: pin a version, e.g. "${image}:1.2.3", or a digest.`);
  }
  if (tag === 'latest') {
    throw new ValidationError(scope,
      `${what} ${got(image)} uses the "latest" tag, so every pull may fetch a different image. Fix: pin a version, e.g. "${image.slice(0, lastColon)}:1.2.3", or a digest.`);
  }
}

/** The container props every container of the library is checked for: image, env names, ports. */
export interface CheckedContainerProps {
  readonly image: string;
  readonly envVariables?: { [name: string]: unknown };
  readonly ports?: { readonly number: number; readonly name?: string; readonly hostPort?: number; readonly protocol?: string }[];
  readonly portNumber?: number;
}

/**
 * Throws for the first problem with a container's props: an unpinned image,
 * a bad env var name, a port out of range or badly named, a host port.
 * `who` names the container in messages, e.g. `sidecar "proxy"`.
 */
export function assertContainerProps(scope: ErrorScope, who: string, props: CheckedContainerProps): void {
  // a prop path ("container") names its fields with a dot, a described container ('sidecar "proxy"') with a space
  const field = (name: string) => (/^[a-zA-Z.]+$/.test(who) ? `${who}.${name}` : `${who} ${name}`);
  assertPinnedImage(scope, field('image'), props.image);
  assertEnvNames(scope, who, Object.keys(props.envVariables ?? {}));
  for (const p of props.ports ?? []) {
    assertPort(scope, `${who} port`, p.number);
    if (p.name) assertPortName(scope, `${who} port name`, p.name);
  }
  if (props.portNumber !== undefined) assertPort(scope, field('portNumber'), props.portNumber);
  assertNoHostPort(scope, who, props.ports ?? []);
  // cdk8s-plus adds portNumber first, then ports, and throws without a path on a repeated number/protocol or name
  const seen: string[] = props.portNumber !== undefined ? [`${props.portNumber}/TCP`] : [];
  const names = new Set<string>();
  for (const p of props.ports ?? []) {
    const key = `${p.number}/${p.protocol ?? 'TCP'}`;
    if (seen.includes(key)) {
      throw new ValidationError(scope, `${who} declares port ${key} twice (got ports ${got((props.ports ?? []).map(q => q.number))}`
        + `${props.portNumber !== undefined ? ` and portNumber ${props.portNumber}` : ''}). Fix: declare each port once.`);
    }
    if (p.name && names.has(p.name)) {
      throw new ValidationError(scope, `${who} declares the port name ${got(p.name)} twice. Fix: give each port a distinct name.`);
    }
    seen.push(key);
    if (p.name) names.add(p.name);
  }
}

/** @internal problems with the names of the objects rendered under `scope`. */
export function objectNameProblems(scope: IConstruct): string[] {
  const out: string[] = [];
  for (const c of scope.node.findAll()) {
    if (c instanceof ApiObject) {
      const problem = objectNameProblem(c.kind, c.name);
      if (problem) out.push(problem);
    }
  }
  return out;
}

/**
 * @internal
 * Throws for the first object rendered under `scope` whose name Kubernetes
 * would reject. Names are fixed when an object is created (they come from its
 * construct path), so this can run as soon as the objects exist.
 */
export function assertObjectNames(scope: IConstruct): void {
  // the objects of a workload are its direct children, or their default children (cdk8s-plus resources)
  for (const child of scope.node.children) {
    const api = child instanceof ApiObject ? child : child.node.defaultChild;
    if (api instanceof ApiObject) {
      const problem = objectNameProblem(api.kind, api.name);
      if (problem) throw new ValidationError(scope, problem);
    }
  }
}

/**
 * Throws unless `d` is a whole number of seconds, at least `min` (a fraction
 * of a millisecond included, which cdk8s itself refuses only when writing);
 * returns the seconds.
 */
export function assertWholeSeconds(scope: ErrorScope, what: string, d: Duration, min: number, fix: string): number {
  let ms: number | undefined;
  try {
    ms = d.toMilliseconds();
  } catch {
    ms = undefined;
  }
  if (ms === undefined || !(ms >= min * 1000) || ms % 1000 !== 0) {
    throw new ValidationError(scope, `${what} must be a whole number of seconds, ${min === 0 ? '0 or more' : `at least ${min}`} `
      + `(got ${d.toHumanString()}). Fix: ${fix}`);
  }
  return ms / 1000;
}
