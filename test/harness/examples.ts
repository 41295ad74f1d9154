import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** The example folders (those with a main.ts), sorted. */
export function exampleNames(): string[] {
  return fs.readdirSync(EXAMPLES_DIR)
    .filter(n => fs.existsSync(path.join(EXAMPLES_DIR, n, 'main.ts')))
    .sort();
}

/** File name -> content of every YAML file in a directory. */
export function readYamlDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter(x => x.endsWith('.yaml')).sort()) {
    out.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  }
  return out;
}

/** File name -> content of every Pod diagram (`*.pods.md`) in a directory. */
export function readDiagramDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter(x => x.endsWith('.pods.md')).sort()) {
    out.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  }
  return out;
}

/** Parses a multi-document YAML string; fails on YAML errors. */
export function parseManifests(text: string): any[] {
  return parseAllDocuments(text).map(d => {
    if (d.errors.length > 0) throw new Error(d.errors.map(e => e.message).join('; '));
    return d.toJSON();
  }).filter(x => x !== null && x !== undefined);
}

/**
 * Runs an example's main.ts in a fresh module registry, the way `cdk8s synth`
 * runs it, into a new temporary directory; returns that directory.
 */
export function synthExample(name: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(EXAMPLES_DIR, name, 'main.ts'));
    });
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
  return outdir;
}
