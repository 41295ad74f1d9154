#!/usr/bin/env node
// Prints "N passed, N failed" (and skipped) from a jest-junit report.
const fs = require('fs');

const file = process.argv[2] || 'test-reports/junit.xml';
if (!fs.existsSync(file)) {
  console.error(`no junit report at ${file}`);
  process.exit(1);
}
const xml = fs.readFileSync(file, 'utf8');
const root = /<testsuites\b([^>]*)>/.exec(xml);
if (!root) {
  console.error(`${file} has no <testsuites> element`);
  process.exit(1);
}
const attr = (name) => {
  const m = new RegExp(`\\b${name}="(\\d+)"`).exec(root[1]);
  return m ? Number(m[1]) : 0;
};
// jest-junit's root element carries tests/failures/errors; skipped cases are counted per <skipped/>.
const tests = attr('tests');
const failed = attr('failures') + attr('errors');
const skipped = (xml.match(/<skipped\s*\/>/g) || []).length;
const passed = tests - failed - skipped;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
