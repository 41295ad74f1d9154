import { IConstruct } from 'constructs';
import { ValidationError } from '../pod/validation-error';

/** The cdk8s-plus package this library is built on (its peer dependency). */
const OWN_PLUS_MODULE = 'cdk8s-plus-27';

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
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`, depth + 1));
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    const rtti = (value as { constructor?: { [JSII_RTTI]?: { fqn?: unknown; version?: unknown } } }).constructor?.[JSII_RTTI];
    if (typeof rtti?.fqn !== 'string') return;
    const [module, ...type] = rtti.fqn.split('.');
    if (!/^cdk8s-plus-\d+$/.test(module) || module === OWN_PLUS_MODULE) return;
    const name = type.join('.');
    throw new ValidationError(scope,
      `${path} must come from ${OWN_PLUS_MODULE} (got ${name} of ${module} ${String(rtti.version)}): this library is built `
      + `on ${OWN_PLUS_MODULE}, and objects of two cdk8s-plus packages do not mix (TypeScript reports most of them as "separate declarations `
      + `of a private property"). Fix: import ${name} from '${OWN_PLUS_MODULE}' (npm install ${OWN_PLUS_MODULE}) for every `
      + 'object you pass to this library.');
  };
  visit(props, '', 0);
}
