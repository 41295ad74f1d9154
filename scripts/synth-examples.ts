/**
 * Synthesizes every examples/<name>/main.ts into examples/<name>/dist/, the
 * way `cdk8s synth` does inside that folder. One process for all examples.
 * Then copies the Pod diagrams the examples write (dist/<chart>.pods.md) into
 * the marked places of README.md and docs/*.md (see doc-diagrams.ts).
 *
 *   npx projen examples            # all
 *   npx projen examples -- nginx   # only the named ones
 */
import * as fs from 'fs';
import * as path from 'path';
import { updateDocs } from './doc-diagrams';

const root = path.resolve(__dirname, '..', 'examples');
const only = process.argv.slice(2);
const names = fs.readdirSync(root)
  .filter(n => fs.existsSync(path.join(root, n, 'main.ts')))
  .filter(n => only.length === 0 || only.includes(n))
  .sort();

if (names.length === 0) {
  console.error(`no examples found under ${root}`);
  process.exit(1);
}

for (const name of names) {
  const dir = path.join(root, name);
  const outdir = path.join(dir, 'dist');
  fs.rmSync(outdir, { recursive: true, force: true });
  process.env.CDK8S_OUTDIR = outdir;
  // each main.ts builds an App (outdir from CDK8S_OUTDIR, as the cdk8s CLI sets it) and calls app.synth()
  require(path.join(dir, 'main.ts'));
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml') || f.endsWith('.pods.md')).sort();
  console.log(`examples/${name}/dist: ${files.join(', ')}`);
}

for (const doc of updateDocs()) console.log(`${doc}: Pod diagrams updated from the examples`);
