/**
 * Independent manifest checks over every committed example output
 * (examples/<name>/dist/*.yaml): Kubernetes OpenAPI schema validation, the
 * fields of the Kubernetes version each object's workload targets, and the
 * Pod Security Standards "restricted" check. Exits non-zero on any finding.
 *
 *   npx ts-node --project test/tsconfig.json scripts/check-examples.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { objectKey, targetVersions } from '../test/harness/examples';
import { knowsKind, unknownFields } from '../test/harness/k8s-fields';
import { checkRestricted } from '../test/harness/pss';
import { checkStarts } from '../test/harness/starts';
import { crdValidators, CustomValidators, validateSchemas } from '../test/harness/schema';

const root = path.resolve(__dirname, '..');

function parse(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map(e => e.message).join('; ')}`);
    return d.toJSON();
  }).filter(Boolean);
}

const custom: CustomValidators = new Map();
const crdDir = path.join(root, 'imports', 'crds');
if (fs.existsSync(crdDir)) {
  for (const f of fs.readdirSync(crdDir).filter(x => x.endsWith('.yaml'))) {
    for (const crd of parse(path.join(crdDir, f))) for (const [k, v] of crdValidators(crd)) custom.set(k, v);
  }
}

/** The Kubernetes version each object of an example targets, from a synth of its main.ts into a scratch directory. */
function targetsOf(name: string): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `check-${name}-`));
  const previous = process.env.CDK8S_OUTDIR;
  const synth = cdk8s.App.prototype.synth;
  const apps: cdk8s.App[] = [];
  cdk8s.App.prototype.synth = function (this: cdk8s.App) {
    apps.push(this);
    return synth.call(this);
  };
  process.env.CDK8S_OUTDIR = outdir;
  try {
    require(path.join(root, 'examples', name, 'main.ts'));
  } finally {
    cdk8s.App.prototype.synth = synth;
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const out = new Map<string, string>();
  for (const app of apps) for (const [k, v] of targetVersions(cdk8s, app)) out.set(k, v);
  return out;
}

/** Fields of the manifests that the Kubernetes version their workload targets does not know. */
function versionProblems(name: string, manifests: any[]): string[] {
  const targets = targetsOf(name);
  const out: string[] = [];
  for (const m of manifests) {
    const version = targets.get(objectKey(m));
    if (version === undefined) out.push(`${objectKey(m)}: no object of a fresh synth (run npx projen examples)`);
    else if (knowsKind(version, m.apiVersion, m.kind)) out.push(...unknownFields(m, version));
    else if (!custom.has(`${m.apiVersion}/${m.kind}`)) out.push(`${objectKey(m)}: no ${m.kind} in Kubernetes ${version}`);
  }
  return out;
}

let failures = 0;
const rows: string[][] = [['example', 'objects', 'schema', 'version fields', 'pss restricted', 'starts']];
const examples = fs.readdirSync(path.join(root, 'examples'))
  .filter(n => fs.existsSync(path.join(root, 'examples', n, 'main.ts'))).sort();
for (const name of examples) {
  const dist = path.join(root, 'examples', name, 'dist');
  const files = fs.existsSync(dist) ? fs.readdirSync(dist).filter(f => f.endsWith('.yaml')).sort() : [];
  if (files.length === 0) {
    console.error(`examples/${name}: no synthesized YAML in dist/ (run npx projen examples)`);
    failures++;
    continue;
  }
  const manifests = files.flatMap(f => parse(path.join(dist, f)));
  const schema = validateSchemas(manifests, custom);
  const fields = versionProblems(name, manifests);
  const pss = checkRestricted(manifests);
  const starts = checkStarts(manifests);
  for (const e of schema.errors) console.error(`examples/${name}: schema: ${e}`);
  for (const u of schema.unchecked) console.error(`examples/${name}: schema: no schema known for ${u}`);
  for (const f of fields) console.error(`examples/${name}: version fields: ${f}`);
  for (const p of pss) console.error(`examples/${name}: pss: ${p.object}: ${p.control}: ${p.detail}`);
  for (const v of starts) console.error(`examples/${name}: starts: ${v.object} (container ${v.container}): ${v.check}: ${v.detail}`);
  const bad = schema.errors.length + schema.unchecked.length + fields.length + pss.length + starts.length;
  failures += bad;
  rows.push([name, String(manifests.length),
    schema.errors.length + schema.unchecked.length === 0 ? 'ok' : `${schema.errors.length + schema.unchecked.length} problem(s)`,
    fields.length === 0 ? 'ok' : `${fields.length} unknown field(s)`,
    pss.length === 0 ? 'ok' : `${pss.length} violation(s)`,
    starts.length === 0 ? 'ok' : `${starts.length} violation(s)`]);
}

const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
if (failures > 0) {
  console.error(`manifest checks failed: ${failures} finding(s)`);
  process.exit(1);
}
console.log(`manifest checks passed for ${examples.length} example(s)`);
