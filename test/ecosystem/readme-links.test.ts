/**
 * The README is also the package's front page on the npm registry, where only
 * the packed files exist: every relative link must point at a file that
 * `npm pack` ships, every other link must be absolute, and links into this
 * repository (the `repository` URL of package.json) must name files that exist.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The anchors of a markdown document's headings (outside code blocks). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of stripCode(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown without fenced code blocks and inline code, which hold no links. */
function stripCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every link target of a markdown document: inline links and images, reference definitions, HTML href/src. */
function linkTargets(markdown: string): string[] {
  const text = stripCode(markdown);
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(m => m[1]),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map(m => m[1]),
    ...[...text.matchAll(/\b(?:href|src)="([^"]+)"/g)].map(m => m[1]),
  ];
}

/**
 * The links of `markdown` that would not work from the package: relative links
 * to files not in `shipped`, anchors that match no heading, and links into
 * `repoUrl` that name a file or heading missing from the working tree at `root`.
 */
function brokenLinks(markdown: string, shipped: Set<string>, repoUrl: string, root: string): string[] {
  const problems: string[] = [];
  const own = anchors(markdown);
  const repoPrefix = new RegExp(`^${repoUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|tree)/[^/]+/(.*)$`);
  for (const target of linkTargets(markdown)) {
    const [file, fragment] = target.split('#', 2) as [string, string | undefined];
    if (file === '') {
      if (!own.has(fragment ?? '')) problems.push(`${target}: no heading with this anchor`);
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(file)) {
      const inRepo = repoPrefix.exec(file);
      if (!inRepo) continue; // absolute link elsewhere
      const local = path.join(root, decodeURIComponent(inRepo[1]));
      if (!fs.existsSync(local)) {
        problems.push(`${target}: ${inRepo[1]} does not exist in the repository`);
      } else if (fragment && local.endsWith('.md') && !anchors(fs.readFileSync(local, 'utf8')).has(fragment)) {
        problems.push(`${target}: ${inRepo[1]} has no heading with this anchor`);
      }
      continue;
    }
    const normalized = path.posix.normalize(file).replace(/\/$/, '');
    if (!shipped.has(normalized)) {
      problems.push(`${target}: relative link to a file the package does not ship; link to ${repoUrl}/blob/main/${normalized} instead`);
    }
  }
  return problems;
}

/** The repository URL of package.json, as a web address. */
function repositoryUrl(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const url: string = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** The paths `npm pack` would put into the package. */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Set((JSON.parse(out)[0].files as { path: string }[]).map(f => f.path));
}

describe('README links', () => {
  test('every link of README.md works from the package', () => {
    // GIVEN what npm pack ships
    const shipped = packedFiles();
    expect(shipped).toContain('README.md');
    expect(shipped).toContain('API.md');
    // WHEN the README's links are checked against it
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    // THEN none is broken
    expect(linkTargets(readme).length).toBeGreaterThan(20);
    expect(brokenLinks(readme, shipped, repositoryUrl(), ROOT)).toEqual([]);
  }, 60_000);

  test('the package ships no TypeScript source, only compiled JavaScript and declarations', () => {
    const shipped = [...packedFiles()];
    expect(shipped.filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(shipped.some(f => f.startsWith('imports/'))).toBe(false);
  }, 60_000);

  test('fails when a link is relative to an unshipped file, a missing anchor or a missing repository file', () => {
    // GIVEN a README with one good and three broken links
    const repo = 'https://github.com/example/lib';
    const markdown = [
      '# Lib', '## Use it', 'See [API](API.md), [docs](docs/a.md), [here](#use-it), [there](#nowhere),',
      `[gone](${repo}/blob/main/docs/missing.md) and [fine](${repo}/blob/main/README.md).`,
      '```ts', 'const x = [a](docs/not-a-link.md);', '```',
    ].join('\n');
    // WHEN / THEN
    expect(brokenLinks(markdown, new Set(['API.md', 'README.md']), repo, ROOT)).toEqual([
      `docs/a.md: relative link to a file the package does not ship; link to ${repo}/blob/main/docs/a.md instead`,
      '#nowhere: no heading with this anchor',
      `${repo}/blob/main/docs/missing.md: docs/missing.md does not exist in the repository`,
    ]);
  });
});
