/**
 * The codebase's own rules: one error type, no reads of cdk8s-plus
 * internals, no locale-dependent ordering, files by concept, and layers that
 * only import downwards.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const FILES = sourceFiles(SRC).map(abs => ({ rel: path.relative(SRC, abs), text: fs.readFileSync(abs, 'utf8') }));

/** Layers, bottom first; a file may import its own folder and the folders of lower layers. */
const LAYERS: string[][] = [['pod'], ['dependencies'], ['config', 'patterns'], ['workloads'], ['policy', 'diagram']];
const layerOf = (folder: string) => LAYERS.findIndex(l => l.includes(folder));

/** The folders below src/ that a file's relative imports reach. */
function importedFolders(file: { rel: string; text: string }): string[] {
  const out: string[] = [];
  for (const m of file.text.matchAll(/^import [^;]*? from '(\.[^']*)';/gms)) {
    const target = path.normalize(path.join(path.dirname(file.rel), m[1]));
    out.push(target.split(path.sep)[0]);
  }
  return out;
}

describe('codebase', () => {
  test('every source file is found (the rules below read them)', () => {
    expect(FILES.length).toBeGreaterThan(40);
    expect(FILES.map(f => f.rel)).toContain(path.join('pod', 'composition.ts'));
  });

  test('no source file has more than 450 lines', () => {
    const long = FILES.filter(f => f.text.split('\n').length > 450).map(f => `${f.rel}: ${f.text.split('\n').length}`);
    expect(long).toEqual([]);
  });

  test('errors are ValidationError, never a bare Error', () => {
    expect(FILES.filter(f => /throw new Error\(/.test(f.text)).map(f => f.rel)).toEqual([]);
  });

  test('no reads of cdk8s-plus internals (_toKube)', () => {
    expect(FILES.filter(f => /_toKube/.test(f.text)).map(f => f.rel)).toEqual([]);
  });

  test('no ordering that depends on the machine\'s locale', () => {
    expect(FILES.filter(f => /localeCompare|Intl\.Collator/.test(f.text)).map(f => f.rel)).toEqual([]);
  });

  test('index.ts only re-exports', () => {
    const index = FILES.filter(f => path.basename(f.rel) === 'index.ts');
    expect(index.map(f => f.rel)).toEqual(['index.ts']);
    const code = index[0].text.split('\n').filter(l => l.trim() && !l.trim().startsWith('//'));
    expect(code.filter(l => !/^export \* from '\.\/[\w/-]+';$/.test(l))).toEqual([]);
  });

  test('each layer imports only itself and the layers below it', () => {
    const violations: string[] = [];
    for (const f of FILES) {
      const own = f.rel.split(path.sep)[0];
      if (own === 'index.ts') continue;
      expect(layerOf(own)).toBeGreaterThanOrEqual(0);
      for (const target of importedFolders(f)) {
        if (target === own) continue;
        if (layerOf(target) >= layerOf(own)) violations.push(`${f.rel} imports ${target}/`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('the layering check sees a violation (it would fail on an upward import)', () => {
    // GIVEN a file of the pod layer importing a workload
    const file = { rel: path.join('pod', 'x.ts'), text: "import { StatelessService } from '../workloads/stateless-service';\n" };
    // THEN the folder is found and ranks above the file's own layer
    expect(importedFolders(file)).toEqual(['workloads']);
    expect(layerOf('workloads')).toBeGreaterThan(layerOf('pod'));
  });
});
