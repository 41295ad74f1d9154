import { IConstruct } from 'constructs';
import { ValidationError } from '../pod/validation-error';

/** The cdk8s-plus package this library is built on (its peer dependency). */
const OWN_PLUS_MODULE = 'cdk8s-plus-27';
const OWN_MODULE_PREFIX = `${OWN_PLUS_MODULE}.`;

/** jsii stores `{ fqn, version }` on every class it compiles, under this symbol. */
const JSII_RTTI = Symbol.for('jsii.rtti');

/** Props are shallow: container -> volumeMounts -> [i] -> volume is the deepest path that matters. */
const MAX_DEPTH = 6;

/**
 * @internal
 * Throws when `props` hold an object of another cdk8s-plus package (e.g. a
 * `Probe` of cdk8s-plus-33, which `cdk8s init typescript-app` installs).
 *
 * TypeScript refuses most such values ("separate declarations of a private
 * property") but accepts those without private members (an `EnvValue`); this
 * check refuses all of them, with the fix, also under JavaScript,
 * `ts-node --transpile-only` and the other jsii languages, instead of a synth
 * that silently mixes two cdk8s-plus versions. Objects are recognized by
 * the type information jsii puts on each class; plain objects and arrays are
 * walked, class instances are not.
 */
export function assertOwnCdk8sPlus(scope: IConstruct, props: object): void {
  const path: (string | number)[] = [];
  const foreign = findForeign(props, path);
  if (!foreign) return;
  const [module, ...type] = foreign.fqn.split('.');
  const name = type.join('.');
  const where = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  throw new ValidationError(scope,
    `${where} must come from ${OWN_PLUS_MODULE} (got ${name} of ${module} ${String(foreign.version)}): this library is built `
    + `on ${OWN_PLUS_MODULE}, and objects of two cdk8s-plus packages do not mix (TypeScript reports most of them as "separate declarations `
    + `of a private property"). Fix: import ${name} from '${OWN_PLUS_MODULE}' (npm install ${OWN_PLUS_MODULE}) for every `
    + 'object you pass to this library.');
}

/**
 * The type information of the first object of another cdk8s-plus package in
 * `value`, depth first; `path` is left holding the keys that lead to it (it is
 * built only along the walk, so that a clean walk allocates no strings).
 */
function findForeign(value: unknown, path: (string | number)[]): { fqn: string; version: unknown } | undefined {
  if (value === null || typeof value !== 'object' || path.length > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const found = findForeign(value[i], path);
      if (found) return found;
      path.pop();
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(value)) {
      path.push(key);
      const found = findForeign((value as Record<string, unknown>)[key], path);
      if (found) return found;
      path.pop();
    }
    return undefined;
  }
  const rtti = (value as { constructor?: { [JSII_RTTI]?: { fqn?: unknown; version?: unknown } } }).constructor?.[JSII_RTTI];
  if (typeof rtti?.fqn !== 'string') return undefined;
  // most objects are cdk8s's or cdk8s-plus-27's: told apart without cutting the name
  if (!rtti.fqn.startsWith('cdk8s-plus-') || rtti.fqn.startsWith(OWN_MODULE_PREFIX)) return undefined;
  const module = rtti.fqn.slice(0, rtti.fqn.indexOf('.'));
  return /^cdk8s-plus-\d+$/.test(module) ? { fqn: rtti.fqn, version: rtti.version } : undefined;
}
