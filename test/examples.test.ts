/**
 * Truth tests over every example: the committed dist/ (YAML and Pod diagrams)
 * equals a fresh synth, synth is byte-for-byte repeatable, every manifest
 * validates against the Kubernetes OpenAPI schemas, and every Pod passes the
 * PSS "restricted" check.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES_DIR, exampleNames, objectKey, parseManifests, readDiagramDir, readYamlDir, synthExample } from './harness/examples';
import { knowsKind, unknownFields } from './harness/k8s-fields';
import { checkRestricted } from './harness/pss';
import { crdValidators, CustomValidators, validateSchemas } from './harness/schema';
import { checkStarts } from './harness/starts';

function customResourceValidators(): CustomValidators {
  const all: CustomValidators = new Map();
  const dir = path.resolve(__dirname, '..', 'imports', 'crds');
  if (!fs.existsSync(dir)) return all;
  for (const f of fs.readdirSync(dir).filter(x => x.endsWith('.yaml'))) {
    for (const crd of parseManifests(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      for (const [k, v] of crdValidators(crd)) all.set(k, v);
    }
  }
  return all;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** Every object under `value` whose keys are not in cdk8s's order (by UTF-16 code unit), by its path. */
function keysOutOfOrder(value: unknown, at: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => keysOutOfOrder(v, `${at}[${i}]`));
  const keys = Object.keys(value);
  const own = keys.some((k, i) => i > 0 && !(keys[i - 1] < k)) ? [`${at}: ${keys.join(', ')}`] : [];
  return [...own, ...keys.flatMap(k => keysOutOfOrder((value as Record<string, unknown>)[k], `${at}.${k}`))];
}

const names = exampleNames();
const custom = customResourceValidators();

test('there are examples to check', () => {
  expect(names).toContain('hello');
});

describe.each(names)('example %s', (name) => {
  const committedDir = path.join(EXAMPLES_DIR, name, 'dist');
  let first: Map<string, string>;
  let second: Map<string, string>;
  let firstDiagrams: Map<string, string>;
  let secondDiagrams: Map<string, string>;
  /** objectKey -> the Kubernetes version the object's workload targets */
  const targets = new Map<string, string>();

  beforeAll(() => {
    // WHEN: synthesized twice, each time in a fresh module registry
    const a = synthExample(name, targets);
    const b = synthExample(name);
    first = readYamlDir(a);
    second = readYamlDir(b);
    firstDiagrams = readDiagramDir(a);
    secondDiagrams = readDiagramDir(b);
  });

  test('synthesizes at least one manifest file', () => {
    expect(first.size).toBeGreaterThan(0);
  });

  test('synth twice gives byte-identical files', () => {
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, text] of first) expect(second.get(file)).toBe(text);
  });

  test('committed dist/ equals a fresh synth (run `npx projen examples` after a change)', () => {
    const committed = readYamlDir(committedDir);
    expect([...committed.keys()]).toEqual([...first.keys()]);
    for (const [file, text] of first) expect(committed.get(file)).toBe(text);
  });

  test('writes one Pod diagram per chart, byte-identical in both synths', () => {
    expect([...firstDiagrams.keys()]).toEqual([...first.keys()].map(f => f.replace(/\.k8s\.yaml$/, '.pods.md')));
    for (const [file, text] of firstDiagrams) expect(secondDiagrams.get(file)).toBe(text);
  });

  test('committed Pod diagrams equal a fresh synth (run `npx projen examples` after a change)', () => {
    const committed = readDiagramDir(committedDir);
    expect([...committed.keys()]).toEqual([...firstDiagrams.keys()]);
    for (const [file, text] of firstDiagrams) expect(committed.get(file)).toBe(text);
  });

  test('below the top level of a workload object, every key is in the order cdk8s writes keys', () => {
    // the render pipeline completes these objects; it must put what it adds where cdk8s would
    const manifests = [...first.values()].flatMap(parseManifests).filter(m => WORKLOAD_KINDS.has(m.kind));
    const problems: string[] = [];
    for (const m of manifests) {
      for (const [key, value] of Object.entries(m)) problems.push(...keysOutOfOrder(value, `${objectKey(m)} ${key}`));
    }
    expect(problems).toEqual([]);
  });

  test('every manifest validates against the Kubernetes OpenAPI schemas', () => {
    const manifests = [...first.values()].flatMap(parseManifests);
    const result = validateSchemas(manifests, custom);
    expect(result.errors).toEqual([]);
    expect(result.unchecked).toEqual([]);
  });

  test('every manifest sets only fields of the Kubernetes version its workload targets', () => {
    const manifests = [...first.values()].flatMap(parseManifests);
    const problems: string[] = [];
    for (const m of manifests) {
      const version = targets.get(objectKey(m));
      if (version === undefined) {
        problems.push(`${objectKey(m)}: no construct rendered it`);
        continue;
      }
      // custom resources are checked against their CRD by the schema test
      if (!knowsKind(version, m.apiVersion, m.kind) && custom.has(`${m.apiVersion}/${m.kind}`)) continue;
      if (!knowsKind(version, m.apiVersion, m.kind)) problems.push(`${objectKey(m)}: no ${m.kind} in Kubernetes ${version}`);
      problems.push(...unknownFields(m, version));
    }
    expect(problems).toEqual([]);
  });

  test('every Pod passes the Pod Security Standards "restricted" check', () => {
    const manifests = [...first.values()].flatMap(parseManifests);
    expect(checkRestricted(manifests)).toEqual([]);
  });

  test('every Pod starts as written: numeric users, writable paths, bindable ports, sized main containers', () => {
    const manifests = [...first.values()].flatMap(parseManifests);
    expect(checkStarts(manifests)).toEqual([]);
  });
});
