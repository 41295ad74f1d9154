/**
 * `cdk8s synth` gives the same bytes under any locale: the library orders by
 * code point, never by the machine's collation.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

function synthUnder(locale: string): { collator: number; yaml: string } {
  const r = spawnSync('npx', ['ts-node', '--project', 'test/tsconfig.json', 'test/support/locale-synth.ts'], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, LC_ALL: locale, LANG: locale },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`synth under ${locale} failed: ${r.stderr}`);
  const [first, ...rest] = r.stdout.split('\n');
  return { collator: Number(first.replace('collator ', '')), yaml: rest.join('\n') };
}

describe('determinism', () => {
  test('a synth under da_DK and under en_US is byte-identical', () => {
    // GIVEN / WHEN the same app synthesized under two locales
    const danish = synthUnder('da_DK.UTF-8');
    const english = synthUnder('en_US.UTF-8');
    // THEN the locales really differ in collation ("aa" after "z" in Danish), so the test can see a locale-dependent order
    expect(danish.collator).toBe(1);
    expect(english.collator).toBe(-1);
    // AND the output is the same bytes, config hash included
    expect(danish.yaml).toContain('container-patterns.cdk8s.io/config-hash');
    expect(danish.yaml).toBe(english.yaml);
  });
});
