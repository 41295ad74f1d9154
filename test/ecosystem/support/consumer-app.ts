/**
 * A fresh cdk8s app that uses the library the way an app team does: the
 * library packed by `npm pack` and installed from the tarball, beside the
 * packages and files `cdk8s init typescript-app` gives an app. Shared by the
 * consumer test and the benchmark of a whole `cdk8s synth`.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The real cdk8s CLI (a devDependency of this repository). */
export const CDK8S_CLI = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');

/** What `cdk8s init typescript-app` starts from: its package.json, tsconfig.json, ... */
const TEMPLATE = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');

function installedVersion(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** Newest modification time of the files under `dir` that pass `filter`. */
function newest(dir: string, filter: (f: string) => boolean): { file: string; mtimeMs: number } {
  let best = { file: '', mtimeMs: 0 };
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const candidate = e.isDirectory() ? newest(p, filter) : (filter(p) ? { file: p, mtimeMs: fs.statSync(p).mtimeMs } : best);
    if (candidate.mtimeMs > best.mtimeMs) best = candidate;
  }
  return best;
}

/**
 * Packs the compiled library (`lib/`, `.jsii`, README, API.md: what the
 * package:js step packs after the build) into `destDir`; returns the tarball.
 * Fails when `lib/` is missing or older than a source file, so that a stale
 * build is never what gets tested.
 */
export function packLibrary(destDir: string): string {
  const lib = path.join(ROOT, 'lib', 'index.js');
  if (!fs.existsSync(lib)) {
    throw new Error(`${lib} is missing: the consumer test installs the compiled library. Fix: run npx projen compile.`);
  }
  const src = newest(path.join(ROOT, 'src'), f => f.endsWith('.ts'));
  if (src.mtimeMs > fs.statSync(lib).mtimeMs) {
    throw new Error(`lib/ is older than ${path.relative(ROOT, src.file)}: the consumer test installs the compiled library. `
      + 'Fix: run npx projen compile.');
  }
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destDir], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(),
  });
  return path.join(destDir, JSON.parse(out)[0].filename);
}

/** The environment for child processes: no hooks or npm settings of the process running the tests. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|TS_NODE_|NODE_OPTIONS$|JEST_|INIT_CWD$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, CDK8S_CHECK_UPGRADE: 'false', ...extra };
}

export interface ConsumerAppOptions {
  /** The library tarball (from `packLibrary`). */
  readonly tarball: string;
  /** Also install cdk8s-plus-33, as `cdk8s init typescript-app` does. @default false */
  readonly withPlus33?: boolean;
  /** Install cdk8s-container-patterns. @default true */
  readonly withLibrary?: boolean;
}

/**
 * Lays out a cdk8s app in `dir` (cdk8s.yaml with `app: npx ts-node main.ts`,
 * package.json, the tsconfig.json of `cdk8s init typescript-app`) and runs
 * `npm install`. The packages come from npm's cache where the repository's
 * own install left them, else from the registry.
 */
export function createConsumerApp(dir: string, options: ConsumerAppOptions): void {
  fs.mkdirSync(dir, { recursive: true });
  const template = JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8'));
  const tarball = path.join(dir, path.basename(options.tarball));
  fs.copyFileSync(options.tarball, tarball);
  const dependencies: Record<string, string> = {
    'cdk8s': installedVersion('cdk8s'),
    'constructs': installedVersion('constructs'),
    'cdk8s-plus-27': installedVersion('cdk8s-plus-27'),
  };
  if (options.withLibrary ?? true) dependencies['cdk8s-container-patterns'] = `file:./${path.basename(tarball)}`;
  if (options.withPlus33) dependencies['cdk8s-plus-33'] = installedVersion('cdk8s-plus-33');
  const pkg = {
    name: path.basename(dir),
    version: '1.0.0',
    private: true,
    scripts: { synth: 'cdk8s synth', import: 'cdk8s import' },
    dependencies,
    devDependencies: {
      '@types/node': template.devDependencies['@types/node'],
      'ts-node': template.devDependencies['ts-node'],
      'typescript': template.devDependencies.typescript,
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  fs.copyFileSync(path.join(TEMPLATE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(),
  });
}

/** Runs the cdk8s CLI in the app directory. */
export function cdk8s(dir: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(CDK8S_CLI, args, { cwd: dir, encoding: 'utf8', env: childEnv(env), maxBuffer: 64 * 1024 * 1024 });
}

/** The first ```ts block after the README heading `### <heading>`. */
export function readmeBlock(heading: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n### ${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading "### ${heading}"`);
  const rest = readme.slice(at + 1);
  const next = rest.search(/\n#{2,3} /);
  const m = /\n```ts\n([\s\S]*?)\n```\n/.exec(next < 0 ? rest : rest.slice(0, next));
  if (!m) throw new Error(`README.md has no ts code block after "### ${heading}"`);
  return m[1] + '\n';
}
