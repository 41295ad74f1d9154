/**
 * The Pod diagrams of the README and docs/*.md are copies of the diagrams the
 * examples generate (examples/<name>/dist/<chart>.pods.md). Each sits between
 * two marker comments that name its source:
 *
 *   <!-- pod-diagram examples/tomcat-war/dist/tomcat-war.pods.md -->
 *   ```mermaid
 *   ...
 *   ```
 *   <!-- /pod-diagram -->
 *
 * `npx projen examples` rewrites what is between the markers; the drift test
 * (test/diagram/docs-diagrams.test.ts) fails when a committed copy differs
 * from a fresh generation.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');

/** One marked diagram: the markers, the source they name and what is between them. */
const MARKED = /<!-- pod-diagram (\S+) -->\n([\s\S]*?)<!-- \/pod-diagram -->/g;

/** The Markdown files that may hold marked diagrams, relative to the root, sorted. */
export function docFiles(root: string = ROOT): string[] {
  const docs = fs.readdirSync(path.join(root, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`);
  return ['README.md', ...docs];
}

/** The ```mermaid blocks of a Markdown text (their content, without the fences), in order. */
export function mermaidBlocks(markdown: string): string[] {
  const out: string[] = [];
  const re = /^```mermaid\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) out.push(m[1]);
  return out;
}

/** The sources named by the marked diagrams of a text, in order. */
export function diagramSources(text: string): string[] {
  return [...text.matchAll(MARKED)].map(m => m[1]);
}

/**
 * `text` with every marked diagram replaced by the one Mermaid block of its
 * source, read with `read(source)`.
 */
export function fillDiagrams(text: string, read: (source: string) => string, where: string): string {
  return text.replace(MARKED, (_whole, source: string) => {
    const blocks = mermaidBlocks(read(source));
    if (blocks.length !== 1) {
      throw new Error(`${where}: ${source} holds ${blocks.length} Mermaid blocks; a marked diagram copies exactly one.`);
    }
    return `<!-- pod-diagram ${source} -->\n\`\`\`mermaid\n${blocks[0]}\`\`\`\n<!-- /pod-diagram -->`;
  });
}

/** Reads a source relative to `root`; fails naming the doc that asked for it. */
export function readSource(root: string, where: string): (source: string) => string {
  return (source: string) => {
    const file = path.join(root, source);
    if (!fs.existsSync(file)) {
      throw new Error(`${where}: the marked diagram names ${source}, which does not exist. `
        + 'Fix: name a dist/<chart>.pods.md of an example, and run npx projen examples.');
    }
    return fs.readFileSync(file, 'utf8');
  };
}

/** Rewrites the marked diagrams of every doc from the committed sources; returns the files that changed. */
export function updateDocs(root: string = ROOT): string[] {
  const changed: string[] = [];
  for (const doc of docFiles(root)) {
    const file = path.join(root, doc);
    const text = fs.readFileSync(file, 'utf8');
    const filled = fillDiagrams(text, readSource(root, doc), doc);
    if (filled !== text) {
      fs.writeFileSync(file, filled);
      changed.push(doc);
    }
  }
  return changed;
}
