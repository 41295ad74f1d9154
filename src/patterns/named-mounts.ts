/**
 * Mounts of named Pod volumes by a pattern's container and by the main
 * container, shared by the init step, sidecar and exporter patterns.
 * Internal: not exported from the package entry point.
 */
import { NamedMount, PodPatternHost } from '../pod/pattern';
import { got, ValidationError } from '../pod/validation-error';
import { ErrorScope, assertAbsolutePath, assertDnsLabel, normalizePath, pathsOverlap } from '../pod/validators';

/** Throws for the first mount whose volume name is no DNS label or whose path is not absolute. */
export function checkMounts(scope: ErrorScope, what: string, mounts?: NamedMount[]): void {
  for (const m of mounts ?? []) {
    assertDnsLabel(scope, `${what} volume name`, m.volume);
    assertAbsolutePath(scope, `${what} path of volume "${m.volume}"`, m.path);
  }
}

/** A copy of named mounts, so that a later change to the caller's objects cannot change what was checked. */
export function copyMounts(mounts?: NamedMount[]): NamedMount[] {
  return (mounts ?? []).map(m => ({ volume: m.volume, path: m.path, readOnly: m.readOnly, subPath: m.subPath }));
}

/**
 * Fails when the main container already mounts `path`, or a path above or
 * beneath it, so that a pattern's volume would clash with (or hide, or be
 * hidden by) an existing mount.
 */
export function checkMainTarget(scope: ErrorScope, host: PodPatternHost, what: string, path: string): void {
  for (const existing of host.mainMountPaths) {
    if (normalizePath(existing) === normalizePath(path)) {
      throw new ValidationError(scope,
        `${what} ${got(path)} is already mounted by the main container "${host.mainContainerName}"; a second volume at the same `
        + `path is rejected by Kubernetes. Fix: use another ${what}, or remove the existing mount.`);
    }
    if (pathsOverlap(existing, path)) {
      throw new ValidationError(scope,
        `${what} ${got(path)} overlaps the existing mount ${got(existing)} of the main container "${host.mainContainerName}"; `
        + `one volume would hide part of the other. Fix: use a ${what} that neither contains nor lies beneath ${got(existing)}.`);
    }
  }
}

/**
 * Creates (or joins) the shared emptyDir volumes a pattern names: `shared`
 * when given, else every volume of `mounts` and `mainMounts`.
 */
export function joinSharedVolumes(host: PodPatternHost, mounts: NamedMount[], mainMounts: NamedMount[], shared?: string[]): void {
  const names = shared ?? [...new Set([...mounts, ...mainMounts].map(m => m.volume))];
  for (const v of names) host.sharedVolume(v);
}
