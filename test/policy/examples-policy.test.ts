/**
 * The policy report over every example's committed YAML: no finding of
 * severity ERROR, and only the warnings listed below, each with its reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolicyFinding, PolicyReport, PolicyRule, PolicySeverity } from '../../src';
import { EXAMPLES_DIR, exampleNames } from '../harness/examples';

/** A kind of warning the examples may show, and why it is accepted for now. */
interface Tolerated {
  readonly rule: PolicyRule;
  /** Kind of the object the warning is about. */
  readonly kind: string;
  readonly reason: string;
}

const TOLERATED_WARNINGS: Tolerated[] = [];

function kindOf(f: PolicyFinding): string {
  return f.object.split('/')[0];
}

function tolerated(f: PolicyFinding): boolean {
  return TOLERATED_WARNINGS.some(t => t.rule === f.rule && t.kind === kindOf(f));
}

const files = exampleNames().flatMap(name => {
  const dir = path.join(EXAMPLES_DIR, name, 'dist');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort().map(f => [name, f, path.join(dir, f)]);
});

const reports = new Map(files.map(([, , file]) => [file, PolicyReport.fromYamlFile(file)]));

test('there is committed example YAML to check', () => {
  expect(files.length).toBeGreaterThan(0);
});

describe.each(files)('example %s (%s)', (_name, _file, file) => {
  const report = reports.get(file)!;

  test('has no policy finding of severity ERROR', () => {
    expect(report.errors.map(f => `${f.rule} ${f.object}${f.container ? ` (${f.container})` : ''}: ${f.message}`)).toEqual([]);
  });

  test('has only the tolerated warnings', () => {
    expect(report.warnings.filter(f => !tolerated(f)).map(f => `${f.rule} ${f.object}: ${f.message}`)).toEqual([]);
  });
});

test('every tolerated warning is still seen in some example (drop entries that no longer apply)', () => {
  // GIVEN every warning of every example
  const all = [...reports.values()].flatMap(r => r.findings).filter(f => f.severity === PolicySeverity.WARNING);
  // THEN each entry of the list is still needed
  const unused = TOLERATED_WARNINGS.filter(t => !all.some(f => f.rule === t.rule && kindOf(f) === t.kind));
  expect(unused.map(t => `${t.rule} on ${t.kind}`)).toEqual([]);
});
