/**
 * @internal
 * Small helpers for pure edits of rendered JSON: each returns a copy of the
 * path it changes and shares everything else with its input.
 */

/**
 * Returns a copy of `obj` with `key` set to `value`. A key `obj` has keeps
 * its place; a new key goes before the first key that sorts after it, so an
 * object whose keys are in the order cdk8s renders them (by UTF-16 code unit)
 * stays so.
 */
export function withKey(obj: any, key: string, value: unknown): any {
  const src = obj ?? {};
  if (Object.prototype.hasOwnProperty.call(src, key)) return { ...src, [key]: value };
  const out: any = {};
  let placed = false;
  for (const k of Object.keys(src)) {
    if (!placed && key < k) {
      out[key] = value;
      placed = true;
    }
    out[k] = src[k];
  }
  if (!placed) out[key] = value;
  return out;
}

/** The value at `path` below `obj`, or undefined. */
export function getIn(obj: any, path: readonly string[]): any {
  let cur = obj;
  for (const key of path) cur = cur?.[key];
  return cur;
}

/**
 * Returns a copy of `obj` in which the value at `path` is replaced by
 * `update(current)`. The objects along the path are copied; nothing is
 * mutated. When `update` returns the value it was given, `obj` itself is
 * returned, and nothing is copied.
 */
export function updateIn(obj: any, path: readonly string[], update: (current: any) => any): any {
  return updateFrom(obj, path, 0, update);
}

function updateFrom(obj: any, path: readonly string[], at: number, update: (current: any) => any): any {
  if (at === path.length) return update(obj);
  const key = path[at];
  const current = obj?.[key];
  const updated = updateFrom(current, path, at + 1, update);
  if (updated === current) return obj;
  return withKey(obj, key, updated);
}
