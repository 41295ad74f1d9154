/**
 * @internal
 * Orders two strings by Unicode code point, the same on every machine and
 * under every locale (unlike `localeCompare`, and unlike `<`, which compares
 * UTF-16 code units and so sorts characters above U+FFFF before U+E000).
 */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}
