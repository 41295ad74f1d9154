/**
 * Synthesizes every examples/<name>/main.ts into examples/<name>/dist/, the
 * way `cdk8s synth` does inside that folder. One process for all examples.
 *
 *   npx projen examples            # all
 *   npx projen examples -- nginx   # only the named ones
 */
import * as fs from 'fs';
import * as path from 'path';

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
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).sort();
  console.log(`examples/${name}/dist: ${files.join(', ')}`);
}
