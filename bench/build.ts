/**
 * Compiles the contenders (and the library sources they import) to plain
 * JavaScript under bench/out/build, so that no contender pays for TypeScript
 * compilation while it is measured. Files are transpiled one by one with the
 * project's compiler settings (no type check: the project's own build and
 * tests do that).
 */
import * as fs from 'fs';
import * as path from 'path';
// the benchmark is a development tool: it uses the project's dev dependencies
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
export const OUT = path.join(ROOT, 'bench', 'out');
export const BUILD = path.join(OUT, 'build');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== OUT) out.push(...sources(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** Transpiles src/, bench/ and the process helpers shared with the integration tests into BUILD; returns the number of files. */
export function buildContenders(): number {
  fs.rmSync(BUILD, { recursive: true, force: true });
  const files = [
    ...sources(path.join(ROOT, 'src')),
    ...sources(path.join(ROOT, 'bench')),
    ...sources(path.join(ROOT, 'test', 'integration', 'support')),
  ];
  for (const file of files) {
    const result = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
        experimentalDecorators: true,
        sourceMap: true,
      },
    });
    const target = path.join(BUILD, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, `${result.outputText}\n`);
    if (result.sourceMapText) fs.writeFileSync(`${target}.map`, result.sourceMapText);
  }
  return files.length;
}
