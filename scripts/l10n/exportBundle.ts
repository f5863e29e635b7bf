// Writes l10n/bundle.l10n.json — every message the code translates, English to English, sorted — from
// the sources (scripts/l10n/stringScan.ts), and lists what each translation still lacks: messages
// missing from l10n/bundle.l10n.<lang>.json, keys missing from package.nls.<lang>.json, and entries
// nothing uses any more. It never writes a translation. `npm run l10n:export`; exits 1 while any
// string in code is not localized, so it doubles as the quick check after adding UI text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanExtension } from './stringScan.js';

const root = path.resolve(__dirname, '..', '..');
const l10nDir = path.join(root, 'l10n');

function readJson(file: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

function diff(label: string, wanted: readonly string[], have: Record<string, string>): number {
  const missing = wanted.filter((k) => !Object.hasOwn(have, k));
  const stale = Object.keys(have).filter((k) => !wanted.includes(k));
  for (const k of missing) process.stdout.write(`${label}: missing ${JSON.stringify(k)}\n`);
  for (const k of stale) process.stdout.write(`${label}: not used any more ${JSON.stringify(k)}\n`);
  return missing.length + stale.length;
}

const { uses, problems } = scanExtension(root);
for (const p of problems) process.stdout.write(`${p.file}:${p.line}: ${p.why}: ${p.text}\n`);

const keys = [...new Set(uses.map((u) => u.key))].sort();
const english = Object.fromEntries(keys.map((k) => [k, k]));
fs.mkdirSync(l10nDir, { recursive: true });
fs.writeFileSync(path.join(l10nDir, 'bundle.l10n.json'), `${JSON.stringify(english, null, 2)}\n`);
process.stdout.write(`l10n/bundle.l10n.json: ${keys.length} messages\n`);

let gaps = 0;
for (const name of fs.readdirSync(l10nDir).sort()) {
  const m = /^bundle\.l10n\.(.+)\.json$/.exec(name);
  if (m) gaps += diff(`l10n/${name}`, keys, readJson(path.join(l10nDir, name)));
}
const nlsKeys = Object.keys(readJson(path.join(root, 'package.nls.json')));
for (const name of fs.readdirSync(root).sort()) {
  if (/^package\.nls\..+\.json$/.test(name)) gaps += diff(name, nlsKeys, readJson(path.join(root, name)));
}
process.exitCode = problems.length ? 1 : 0;
if (gaps) process.stdout.write(`${gaps} translation gap(s) (test/unit/l10nCompleteness.test.ts fails on them)\n`);
