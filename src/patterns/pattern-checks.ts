/**
 * Checks shared by the patterns: their names, images, users, ports, mounts
 * and durations, and the copy of their resources. Internal: not exported
 * from the package entry point.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PodPatternHost } from '../pod/pattern';
import { SecureDefaults } from '../pod/secure-defaults';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertDnsLabel, assertNonRootUser, assertPinnedImage, assertWholeSeconds } from '../pod/validators';

/** The longest DNS-1123 label, and so the longest volume name. */
const MAX_LABEL = 63;

/**
 * Throws unless `name` is a DNS-1123 label short enough that the volume
 * names derived from it (`<name><suffix>`) are labels too.
 */
export function assertPatternName(scope: ErrorScope, name: string, volumeSuffixes: string[]): void {
  assertDnsLabel(scope, 'name', name);
  const longest = volumeSuffixes.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (name.length + longest.length > MAX_LABEL) {
    throw new ValidationError(scope,
      `name must have at most ${MAX_LABEL - longest.length} characters, as it names the volume "${name}${longest}" `
      + `(got ${got(name)}, ${name.length} characters). Fix: use a shorter name.`);
  }
}

/**
 * Throws unless `image` is a non-empty, pinned image reference.
 * @param fix the sentence after "Fix:" for a missing or empty image
 */
export function assertPatternImage(scope: ErrorScope, image: string, fix: string): void {
  if (typeof image !== 'string' || image.length === 0) {
    throw new ValidationError(scope, `image is required (got ${got(image)}). Fix: ${fix}`);
  }
  assertPinnedImage(scope, 'image', image);
}

/**
 * Throws when `port` is already a port of the app container: the containers
 * of a Pod share one network namespace.
 */
export function assertNotAnAppPort(scope: ErrorScope, host: PodPatternHost, what: string, port: number, fix: string): void {
  const clash = host.mainPorts.find(p => p.port === port);
  if (clash) {
    throw new ValidationError(scope,
      `${what} ${port} is already a port of the app container "${host.mainContainerName}"`
      + `${clash.name ? ` ("${clash.name}")` : ''}; the containers of a Pod share one network namespace, so only one of `
      + `them can listen on it. Fix: ${fix}`);
  }
}

/** A duration in whole milliseconds; throws for a fraction of a millisecond. */
export function wholeMillis(scope: ErrorScope, what: string, d: Duration): number {
  try {
    return d.toMilliseconds();
  } catch {
    throw new ValidationError(scope,
      `${what} must be a whole number of milliseconds (got ${d.toHumanString()}). Fix: round it, e.g. Duration.millis(1500).`);
  }
}

/**
 * A copy of container resources, so that a later change to the caller's
 * object cannot change what was checked.
 */
export function copyResources(r: kplus.ContainerResources | undefined): kplus.ContainerResources | undefined {
  if (!r) return undefined;
  return {
    ...(r.cpu ? { cpu: { ...r.cpu } } : {}),
    ...(r.memory ? { memory: { ...r.memory } } : {}),
    ...(r.ephemeralStorage ? { ephemeralStorage: { ...r.ephemeralStorage } } : {}),
  };
}

/** @internal checks a pattern's `user` prop: a numeric non-root id. */
export function checkUser(scope: ErrorScope, user?: number): void {
  assertNonRootUser(scope, 'user', user, `use a non-root id such as ${SecureDefaults.NON_ROOT_USER}.`);
}

/** @internal a duration in whole seconds, at least 1. */
export function wholeSeconds(scope: ErrorScope, what: string, d: Duration): number {
  return assertWholeSeconds(scope, what, d, 1, 'use e.g. Duration.seconds(30).');
}

