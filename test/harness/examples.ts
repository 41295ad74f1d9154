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

/** The key of a manifest in the map of target versions: "apiVersion kind namespace/name". */
export function objectKey(m: { apiVersion?: string; kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  return `${m.apiVersion} ${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
}

/**
 * The Kubernetes version every object of `app` targets: that of the nearest
 * workload above it (its `kubernetesVersion`), else the app's context value,
 * else 1.27, the library's default.
 */
export function targetVersions(cdk8s: any, app: any): Map<string, string> {
  const out = new Map<string, string>();
  const fallback = app.node.tryGetContext('cdk8s-container-patterns/kubernetesVersion') ?? '1.27';
  for (const c of app.node.findAll()) {
    if (!(c instanceof cdk8s.ApiObject)) continue;
    const owner = [...c.node.scopes].reverse().find((s: any) => typeof s.kubernetesVersion?.version === 'string');
    const json = c.toJson();
    out.set(objectKey(json), owner ? owner.kubernetesVersion.version : fallback);
  }
  return out;
}

/**
 * Runs an example's main.ts in a fresh module registry, the way `cdk8s synth`
 * runs it, into a new temporary directory; returns that directory. With
 * `targets`, also records the Kubernetes version each object targets (see
 * `objectKey`).
 */
export function synthExample(name: string, targets?: Map<string, string>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // the example's own cdk8s (this registry's): note the App it synthesizes
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cdk8s = require('cdk8s');
      const apps: any[] = [];
      const synth = cdk8s.App.prototype.synth;
      cdk8s.App.prototype.synth = function (this: any, ...args: any[]) {
        apps.push(this);
        return synth.apply(this, args);
      };
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(EXAMPLES_DIR, name, 'main.ts'));
      if (targets) for (const app of apps) for (const [k, v] of targetVersions(cdk8s, app)) targets.set(k, v);
    });
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
  return outdir;
}
