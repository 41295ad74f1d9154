/**
 * The diagrams in README.md and docs/*.md are generated: each is a copy of a
 * Pod diagram an example writes, between marker comments. This test fails when
 * a committed copy differs from a fresh generation (run `npx projen examples`),
 * or when a Mermaid block is not such a copy (a hand-drawn diagram drifts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diagramSources, docFiles, fillDiagrams, mermaidBlocks, readSource, ROOT, updateDocs } from '../../scripts/doc-diagrams';
import { readDiagramDir, synthExample } from '../harness/examples';

const docs = docFiles();
const committed = new Map(docs.map(d => [d, fs.readFileSync(path.join(ROOT, d), 'utf8')]));
const sources = [...new Set([...committed.values()].flatMap(diagramSources))].sort();

describe('the diagrams of the README and docs/', () => {
  /** source -> its content in a fresh synth of its example */
  const fresh = new Map<string, string>();

  beforeAll(() => {
    // WHEN every example a doc names is synthesized afresh
    const byExample = new Map<string, string[]>();
    for (const source of sources) {
      const m = /^examples\/([^/]+)\/dist\/([^/]+\.pods\.md)$/.exec(source);
      if (!m) throw new Error(`a marked diagram names ${source}, which is not an example's dist/<chart>.pods.md`);
      byExample.set(m[1], [...(byExample.get(m[1]) ?? []), m[2]]);
    }
    for (const [example, files] of byExample) {
      const diagrams = readDiagramDir(synthExample(example));
      for (const f of files) {
        const text = diagrams.get(f);
        if (text === undefined) throw new Error(`examples/${example} writes no ${f} (it writes ${[...diagrams.keys()].join(', ') || 'none'})`);
        fresh.set(`examples/${example}/dist/${f}`, text);
      }
    }
  });

  test('the README shows the four container patterns, generated from their examples', () => {
    const readme = diagramSources(committed.get('README.md')!);
    expect(readme).toEqual(expect.arrayContaining([
      'examples/tomcat-war/dist/tomcat-war.pods.md',
      'examples/log-collector/dist/log-collector.pods.md',
      'examples/redis-ambassador/dist/redis-ambassador.pods.md',
      'examples/metrics-adapter/dist/metrics-adapter.pods.md',
    ]));
  });

  test.each(docs)('%s: every Mermaid block is a marked copy of an example\'s diagram', (doc) => {
    const text = committed.get(doc)!;
    expect(mermaidBlocks(text)).toHaveLength(diagramSources(text).length);
  });

  test.each(docs)('%s: every marked diagram equals a fresh generation (run `npx projen examples` after a change)', (doc) => {
    const text = committed.get(doc)!;
    const expected = fillDiagrams(text, source => fresh.get(source)!, doc);
    expect(text).toBe(expected);
  });
});

describe('doc-diagrams (the copying done by `npx projen examples`)', () => {
  const diagram = (body: string) => `# Pods\n\n\`\`\`mermaid\n${body}\`\`\`\n\nlegend\n`;

  test('fillDiagrams replaces what is between the markers with the source\'s Mermaid block, and nothing else', () => {
    // GIVEN a doc with an outdated diagram between markers, and a hand-written block elsewhere
    const doc = 'intro\n\n<!-- pod-diagram examples/x/dist/x.pods.md -->\n```mermaid\nflowchart LR\n  old\n```\n<!-- /pod-diagram -->\n\n'
      + '```ts\nconst a = 1;\n```\n';
    // WHEN filled from a source with a new diagram
    const filled = fillDiagrams(doc, () => diagram('flowchart LR\n  new\n'), 'doc.md');
    // THEN only the marked block changed
    expect(filled).toBe('intro\n\n<!-- pod-diagram examples/x/dist/x.pods.md -->\n```mermaid\nflowchart LR\n  new\n```\n<!-- /pod-diagram -->\n\n'
      + '```ts\nconst a = 1;\n```\n');
    expect(diagramSources(filled)).toEqual(['examples/x/dist/x.pods.md']);
  });

  test('fails when a source holds other than one Mermaid block', () => {
    const doc = '<!-- pod-diagram a.md -->\n<!-- /pod-diagram -->\n';
    expect(() => fillDiagrams(doc, () => '# nothing drawn\n', 'doc.md')).toThrow(
      'doc.md: a.md holds 0 Mermaid blocks; a marked diagram copies exactly one.');
  });

  test('fails when a marked diagram names a file that does not exist', () => {
    expect(() => readSource(ROOT, 'README.md')('examples/none/dist/none.pods.md')).toThrow(
      'README.md: the marked diagram names examples/none/dist/none.pods.md, which does not exist. '
      + 'Fix: name a dist/<chart>.pods.md of an example, and run npx projen examples.');
  });

  test('updateDocs rewrites the docs whose copies are outdated, and only those', () => {
    // GIVEN a tree with a source, an outdated README and an up-to-date doc
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-diagrams-'));
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'x.pods.md'), diagram('flowchart LR\n  a --> b\n'));
    const current = '<!-- pod-diagram x.pods.md -->\n```mermaid\nflowchart LR\n  a --> b\n```\n<!-- /pod-diagram -->\n';
    fs.writeFileSync(path.join(root, 'README.md'), current.replace('a --> b', 'a --> c'));
    fs.writeFileSync(path.join(root, 'docs', 'page.md'), current);
    // WHEN the docs are updated
    // THEN the README changed, to the source's diagram
    expect(updateDocs(root)).toEqual(['README.md']);
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(current);
  });
});
