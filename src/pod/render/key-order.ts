/**
 * @internal
 * The final step's ordering: every object's keys in code-point order, as
 * cdk8s renders them, so that a field added by an earlier step lands where a
 * reader (and a GitOps diff) expects it. Arrays keep their order.
 */
export function sortKeysDeep(value: any): any {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map(v => {
      const s = sortKeysDeep(v);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? out : value;
  }
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  let changed = !sorted;
  const children: any = {};
  for (const k of keys) {
    const s = sortKeysDeep(value[k]);
    if (s !== value[k]) changed = true;
    children[k] = s;
  }
  if (!changed) return value;
  const out: any = {};
  for (const k of sorted ? keys : [...keys].sort()) out[k] = children[k];
  return out;
}
