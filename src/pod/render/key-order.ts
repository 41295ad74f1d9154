/**
 * @internal
 * The final step's ordering: every object's keys in the order cdk8s renders
 * them (JavaScript's default string sort, by UTF-16 code unit), so that a
 * field added by an earlier step lands where a reader (and a GitOps diff)
 * expects it. Arrays keep their order.
 *
 * Pure, and copies only what it changes: an object (or array) whose keys are
 * already in order and whose children are unchanged is returned as it is.
 * cdk8s hands in objects with sorted keys, so almost every node takes that
 * path, which allocates nothing.
 */
export function sortKeysDeep(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: any[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const sorted = sortKeysDeep(value[i]);
      if (sorted !== value[i]) {
        copy ??= value.slice();
        copy[i] = sorted;
      }
    }
    return copy ?? value;
  }
  const keys = Object.keys(value);
  let inOrder = true;
  let changed: Map<string, any> | undefined;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1] < keys[i])) inOrder = false;
    const child = value[keys[i]];
    const sorted = sortKeysDeep(child);
    if (sorted !== child) (changed ??= new Map()).set(keys[i], sorted);
  }
  if (inOrder && !changed) return value;
  if (!inOrder) keys.sort();
  const out: any = {};
  for (const k of keys) out[k] = changed?.has(k) ? changed.get(k) : value[k];
  return out;
}
