/**
 * Validates manifests against the Kubernetes OpenAPI schemas (kubernetes-models).
 *
 * Objects of kinds the schemas do not know (custom resources) are checked
 * against the openAPIV3Schema of a CRD file when one is given, and reported
 * as unchecked otherwise - never silently passed.
 */
import * as models from 'kubernetes-models';

export interface SchemaResult {
  readonly ok: boolean;
  readonly errors: string[];
  /** "Kind/name" of objects no schema was known for. */
  readonly unchecked: string[];
}

function camelGroup(group: string): string {
  return group.split('.').map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
}

/** The kubernetes-models class for an apiVersion/kind, if there is one. */
export function modelFor(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const ns: any = group === '' ? (models as any)[version] : (models as any)[camelGroup(group)]?.[version];
  return ns?.[kind];
}

/** Custom resource validators, by "apiVersion/kind". */
export type CustomValidators = Map<string, (obj: any) => string[]>;

export function validateSchemas(manifests: any[], custom: CustomValidators = new Map()): SchemaResult {
  const errors: string[] = [];
  const unchecked: string[] = [];
  for (const m of manifests) {
    const id = `${m?.kind}/${m?.metadata?.name}`;
    if (!m || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') {
      errors.push(`${id}: not a Kubernetes object (apiVersion and kind are required)`);
      continue;
    }
    const Model = modelFor(m.apiVersion, m.kind);
    if (Model) {
      try {
        new Model(m).validate();
      } catch (e) {
        errors.push(`${m.apiVersion} ${id}: ${(e as Error).message}`);
      }
      continue;
    }
    const v = custom.get(`${m.apiVersion}/${m.kind}`);
    if (v) {
      errors.push(...v(m).map(e => `${m.apiVersion} ${id}: ${e}`));
    } else {
      unchecked.push(`${m.apiVersion} ${id}`);
    }
  }
  return { ok: errors.length === 0, errors, unchecked };
}

/**
 * A validator for the custom resources of a CRD (apiextensions.k8s.io/v1),
 * from the openAPIV3Schema of each served version.
 */
export function crdValidators(crd: any): CustomValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv');
  const out: CustomValidators = new Map();
  const group = crd.spec.group;
  const kind = crd.spec.names.kind;
  for (const version of crd.spec.versions ?? []) {
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) continue;
    const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore', schemaId: 'auto' });
    // the OpenAPI integer formats Kubernetes uses
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    const validate = ajv.compile(stripK8sExtensions(schema));
    out.set(`${group}/${version.name}/${kind}`, (obj: any) => {
      // metadata is validated by the API server's ObjectMeta rules, not the CRD schema
      const { metadata, ...rest } = obj;
      void metadata;
      return validate(rest) ? [] : (validate.errors ?? []).map((e: any) => `${e.dataPath || '/'} ${e.message}`);
    });
  }
  return out;
}

function stripK8sExtensions(schema: any): any {
  if (Array.isArray(schema)) return schema.map(stripK8sExtensions);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = stripK8sExtensions(v);
  }
  return out;
}
