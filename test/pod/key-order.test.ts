/**
 * The render pipeline's key order: new keys go where cdk8s would put them,
 * and the final step orders what can be out of order, copying nothing else.
 */
import { updateIn, withKey } from '../../src/pod/render/json-edit';
import { sortKeysDeep } from '../../src/pod/render/key-order';
import { RenderInput } from '../../src/pod/render/render-step';
import { KEY_ORDER } from '../../src/pod/render/steps';

function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    templatePath: ['spec', 'template'],
    nativeSidecars: new Set(),
    nativeSidecarProbes: new Map(),
    claimMounts: [],
    templateAnnotations: new Map(),
    specFields: new Map(),
    patchedPaths: [],
    userPatched: false,
    ...overrides,
  };
}

/** A rendered Deployment whose keys are in order, except where `unordered` says. */
function deployment(unordered: { podSpecTail?: object; specTail?: object } = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { a: '1', b: '2' }, name: 'web' },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ image: 'web:1', name: 'app' }], securityContext: { runAsNonRoot: true }, ...unordered.podSpecTail },
      },
      ...unordered.specTail,
    },
  };
}

describe('withKey', () => {
  test('puts a new key before the first key that sorts after it', () => {
    expect(Object.keys(withKey({ a: 1, c: 3, e: 5 }, 'd', 4))).toEqual(['a', 'c', 'd', 'e']);
    expect(Object.keys(withKey({ b: 1 }, 'a', 0))).toEqual(['a', 'b']);
    expect(Object.keys(withKey({ a: 1 }, 'b', 2))).toEqual(['a', 'b']);
    expect(withKey(undefined, 'a', 1)).toEqual({ a: 1 });
  });

  test('keeps an existing key in its place, and leaves its input unchanged', () => {
    // GIVEN
    const obj = { a: 1, b: 2, c: 3 };
    // WHEN
    const out = withKey(obj, 'b', 20);
    // THEN
    expect(Object.entries(out)).toEqual([['a', 1], ['b', 20], ['c', 3]]);
    expect(obj).toEqual({ a: 1, b: 2, c: 3 });
  });
});

describe('updateIn', () => {
  test('copies the objects along the path and shares the rest, leaving its input unchanged', () => {
    // GIVEN
    const obj = { a: { b: { c: 1 }, x: { y: 1 } }, z: [1] };
    // WHEN
    const out = updateIn(obj, ['a', 'b', 'c'], c => c + 1);
    // THEN
    expect(out).toEqual({ a: { b: { c: 2 }, x: { y: 1 } }, z: [1] });
    expect(out.a).not.toBe(obj.a);
    expect(out.a.x).toBe(obj.a.x);
    expect(out.z).toBe(obj.z);
    expect(obj.a.b.c).toBe(1);
  });

  test('returns its input itself when the update returns the value it was given', () => {
    // GIVEN
    const obj = { a: { b: { c: 1 } } };
    // THEN
    expect(updateIn(obj, ['a', 'b'], b => b)).toBe(obj);
    expect(updateIn(obj, ['a', 'missing', 'c'], c => c)).toBe(obj);
  });

  test('creates the objects of a path that does not exist yet', () => {
    expect(updateIn({ a: 1 }, ['b', 'c'], () => 2)).toEqual({ a: 1, b: { c: 2 } });
  });
});

describe('sortKeysDeep', () => {
  test('orders keys at every depth, inside arrays too, and keeps array order', () => {
    // WHEN
    const out = sortKeysDeep({ z: [{ b: 1, a: 2 }, 3], a: { d: 1, c: { f: 1, e: 2 } } });
    // THEN
    expect(JSON.stringify(out)).toBe('{"a":{"c":{"e":2,"f":1},"d":1},"z":[{"a":2,"b":1},3]}');
  });

  test('returns an ordered object itself, and shares the ordered parts of a changed one', () => {
    // GIVEN
    const ordered = { a: { b: [1, { c: 1, d: 2 }] }, e: 'x' };
    const mixed = { b: { c: 1 }, a: 1 };
    // WHEN / THEN
    expect(sortKeysDeep(ordered)).toBe(ordered);
    const out = sortKeysDeep(mixed);
    expect(out).not.toBe(mixed);
    expect(out.b).toBe(mixed.b);
    expect(Object.keys(mixed)).toEqual(['b', 'a']);
  });
});

describe('the key-order step', () => {
  test('returns an object cdk8s ordered, with nothing patched, as it is', () => {
    // GIVEN
    const obj = deployment();
    // WHEN / THEN
    expect(KEY_ORDER.apply(obj, input())).toBe(obj);
  });

  test('orders the parent of a field the library patched in', () => {
    // GIVEN cdk8s applied the patch after ordering: the field is last
    const obj = deployment({ podSpecTail: { hostUsers: false } });
    // WHEN
    const out = KEY_ORDER.apply(obj, input({ patchedPaths: [['spec', 'template', 'spec', 'hostUsers']] }));
    // THEN
    expect(Object.keys(out.spec.template.spec)).toEqual(['containers', 'hostUsers', 'securityContext']);
    expect(Object.keys(obj.spec.template.spec)).toEqual(['containers', 'securityContext', 'hostUsers']);
  });

  test('orders the spec fields the pipeline inserted whole', () => {
    // GIVEN
    const claim = { spec: { resources: {}, accessModes: ['ReadWriteOnce'] }, metadata: { name: 'data' } };
    const obj = deployment({ specTail: { volumeClaimTemplates: [claim] } });
    // WHEN
    const out = KEY_ORDER.apply(obj, input({ specFields: new Map([['volumeClaimTemplates', [claim]]]) }));
    // THEN
    expect(JSON.stringify(out.spec.volumeClaimTemplates)).toBe(
      '[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{}}}]');
  });

  test('orders the whole object when the app patched it', () => {
    // GIVEN an escape-hatch patch put a map's keys in its own order
    const obj = deployment();
    obj.metadata.labels = { z: '1', a: '2' };
    // WHEN
    const out = KEY_ORDER.apply(obj, input({ userPatched: true }));
    // THEN
    expect(Object.keys(out.metadata.labels)).toEqual(['a', 'z']);
    expect(KEY_ORDER.apply(obj, input())).toBe(obj);
  });
});
