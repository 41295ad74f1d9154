import { IConstruct } from 'constructs';
import { got, ValidationError } from './validation-error';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Throws unless `value` is an RFC 1123 label (lowercase alphanumerics and '-',
 * at most 63 characters), as Kubernetes requires for container, volume and
 * Service names.
 */
export function assertDnsLabel(scope: IConstruct, what: string, value: string): void {
  if (value.length === 0 || value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw new ValidationError(scope,
      `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with an alphanumeric, `
      + `at most 63 characters (got ${got(value)}, ${value.length} characters). Fix: use a name like "log-collector".`);
  }
}

/**
 * Throws unless `value` is a valid port name (IANA_SVC_NAME: at most 15
 * characters, lowercase alphanumerics and '-', at least one letter).
 */
export function assertPortName(scope: IConstruct, what: string, value: string): void {
  if (value.length === 0 || value.length > 15 || !IANA_SVC_NAME.test(value) || !/[a-z]/.test(value) || value.includes('--')) {
    throw new ValidationError(scope,
      `${what} must be an IANA service name: at most 15 lowercase letters, digits and single '-', with at least one letter `
      + `(got ${got(value)}). Fix: use a name like "http" or "metrics".`);
  }
}

/** Throws unless `value` is a TCP/UDP port number (1-65535). */
export function assertPort(scope: IConstruct, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ValidationError(scope, `${what} must be an integer between 1 and 65535 (got ${got(value)}).`);
  }
}

/** Throws unless `value` is a valid environment variable name. */
export function assertEnvName(scope: IConstruct, what: string, value: string): void {
  if (!ENV_NAME.test(value)) {
    throw new ValidationError(scope,
      `${what} must be a valid environment variable name: letters, digits, '_', '-' or '.', not starting with a digit `
      + `(got ${got(value)}). Fix: use a name like "REDIS_ADDR".`);
  }
}

/** Throws unless every name of an env var map is a valid environment variable name. */
export function assertEnvNames(scope: IConstruct, what: string, names: string[]): void {
  for (const n of names) assertEnvName(scope, `${what} env var name`, n);
}

/**
 * Throws when a container port asks for a host port: it ties the Pod to one
 * port of its node and is forbidden by Pod Security Standards (baseline and restricted).
 */
export function assertNoHostPort(scope: IConstruct, what: string, ports: { number: number; hostPort?: number }[]): void {
  for (const p of ports) {
    if (p.hostPort !== undefined) {
      throw new ValidationError(scope,
        `${what} port ${p.number} asks for hostPort ${got(p.hostPort)}; host ports bind the Pod to one port of its node, `
        + 'limit it to one replica per node, and are forbidden by Pod Security Standards. Fix: drop hostPort and reach the '
        + 'container through a Service.');
    }
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The problems with the name of a rendered object: every name must be a
 * DNS-1123 subdomain (at most 253 characters), and a Service name a DNS-1035
 * label (a letter first, no dots, at most 63 characters). Names come from
 * construct ids, so the fix is to rename an id.
 */
export function objectNameProblem(kind: string, name: string): string | undefined {
  if (kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      return `the Service name ${got(name)} is not a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, `
        + 'at most 63 characters). Fix: rename the chart or construct ids on its path (e.g. "my-app" instead of "my_app", '
        + '"my.app" or "9app").';
    }
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return `the ${kind} name ${got(name)} is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and `
      + 'ending with an alphanumeric). Fix: rename the chart or construct ids on its path (e.g. "my-app" instead of "my_app").';
  }
  return undefined;
}

/** A '..' path segment. */
const PARENT_SEGMENT = /(^|\/)\.\.(\/|$)/;

/** Throws unless `value` is an absolute path with no '..' segment. */
export function assertAbsolutePath(scope: IConstruct, what: string, value: string): void {
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
export function assertPinnedImage(scope: IConstruct, what: string, image: string): void {
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
