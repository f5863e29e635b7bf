// Issue 19: every word the extension shows exists in English and Simplified Chinese. Fails when a
// string in code is not localized (scripts/l10n/stringScan.ts reads every file of src/vscode and
// src/extension.ts), when a message or a package.json key is missing from a bundle or left over in
// one, when a translation's placeholders differ from the English, and when a "translation" is still
// English. `npm run l10n:export` rewrites l10n/bundle.l10n.json and lists what is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { placeholdersOf, scanExtension } from '../../scripts/l10n/stringScan.js';

const root = path.resolve(__dirname, '..', '..');
const readJson = (rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;
const strings = (rel: string): Record<string, string> => readJson(rel) as Record<string, string>;

const scan = scanExtension(root);
const codeKeys = [...new Set(scan.uses.map((u) => u.key))].sort();
const bundles = fs.readdirSync(path.join(root, 'l10n')).filter((f) => /^bundle\.l10n(\..+)?\.json$/.test(f));
const translations = bundles.filter((f) => f !== 'bundle.l10n.json');
const nlsEnglish = strings('package.nls.json');
const nlsTranslations = fs.readdirSync(root).filter((f) => /^package\.nls\..+\.json$/.test(f));

// Written for Chinese readers: CJK ideographs, CJK punctuation or full-width forms.
const CHINESE = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;
/** Words a translation has to carry over: a plain word ("Retry", "loading"), not a term (AccessKey, HTTP, ETag) or an id. */
function hasWordsToTranslate(english: string): boolean {
  const s = english
    .replace(/\{\d+\}/g, ' ')
    .replace(/\$\([\w~-]+\)/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ')
    .replace(/\b[\w.-]*[._][\w.-]*\b/g, ' '); // ossTransfer.partSizeMB, OSS_ACCESS_KEY_ID
  return /(^|[^\p{L}])(\p{Ll}{2,}|\p{Lu}\p{Ll}+)(?![\p{L}])/u.test(s);
}
/** Translations that are the same as, or only symbols around, the English on purpose. */
const SAME_ON_PURPOSE: Record<string, string> = {
  'OSS Transfer': 'OSS Transfer', // the product's name
  '{0} of {1}': '{0} / {1}', // "1.6 MB / 3.9 MB" is how Chinese UIs write a part of a whole
  // Terms Alibaba Cloud's Chinese console and docs write in English.
  'AccessKey secret': 'AccessKey Secret',
  'STS token': 'STS Token',
};

function checkTranslation(file: string, english: string, translated: string): string[] {
  const problems: string[] = [];
  const shown = `${file}: ${JSON.stringify(english)} -> ${JSON.stringify(translated)}`;
  if (typeof translated !== 'string' || translated.trim() === '') return [`${shown}: empty`];
  if (placeholdersOf(english).join() !== placeholdersOf(translated).join()) problems.push(`${shown}: placeholders differ`);
  if (SAME_ON_PURPOSE[english] !== undefined) {
    if (SAME_ON_PURPOSE[english] !== translated) problems.push(`${shown}: expected ${JSON.stringify(SAME_ON_PURPOSE[english])}`);
  } else if (file.includes('zh-cn') && hasWordsToTranslate(english) && !CHINESE.test(translated)) {
    problems.push(`${shown}: not written in Chinese`);
  }
  // Code spans (`0`, `#ossTransfer.minSpeedSeconds#`) and command links stay exactly as they are.
  const kept = (s: string): string => [...(s.match(/`[^`]*`|\]\(command:[^)]*\)/g) ?? [])].sort().join('\n');
  if (kept(english) !== kept(translated)) problems.push(`${shown}: code spans or command links differ`);
  return problems;
}

test('no string a user sees is left out of localization (src/vscode, src/extension.ts)', () => {
  const lines = scan.problems.map((p) => `${p.file}:${p.line}: ${p.why}\n    ${p.text}`);
  assert.equal(scan.problems.length, 0, `not localized:\n${lines.join('\n')}`);
  // The scan saw the code: hundreds of messages, from the vscode files and the vscode-free ones.
  assert.ok(codeKeys.length > 300, `only ${codeKeys.length} messages found`);
  for (const dir of ['src/vscode/tree', 'src/vscode/transfers', 'src/vscode/presentation', 'src/vscode/planning', 'src/vscode/profiles']) {
    assert.ok(scan.uses.some((u) => u.file.startsWith(dir)), `no message found in ${dir}`);
  }
});

test('text exempt from translation is marked @l10n-log (the log) or @l10n-keep (names), in these places only', () => {
  // Each one is a decision that a string is for the "OSS" log, or must read the same in every
  // language (a generated profile name is an identity settings refer to): a new one is reviewed here.
  assert.deepEqual(scan.logOnly.map((f) => f.replace(/:\d+ /, ' ')), [
    'src/vscode/profiles/clientRegistry.ts logCredentials (log)',
    'src/vscode/profiles/import/importedProfiles.ts FORMAT_LABELS (keep)',
    'src/vscode/profiles/import/importedProfiles.ts locationOf (log)',
    'src/vscode/profiles/profile.ts ENV_PROFILE_NAMES (keep)',
    'src/vscode/settings/networkValues.ts httpSettingsFrom (log)',
    'src/vscode/settings/networkValues.ts summarize (log)',
  ]);
});

test('l10n/bundle.l10n.json is exactly the messages of the code, English to English', () => {
  const english = strings('l10n/bundle.l10n.json');
  assert.deepEqual(Object.keys(english).sort(), codeKeys, 'run `npm run l10n:export` after changing messages');
  for (const [k, v] of Object.entries(english)) assert.equal(v, k);
});

test('every translation bundle has every message of the code, in that language, with the same placeholders', () => {
  assert.ok(translations.includes('bundle.l10n.zh-cn.json'), `bundles: ${bundles.join(', ')}`);
  const problems: string[] = [];
  for (const file of translations) {
    const tr = strings(`l10n/${file}`);
    for (const k of codeKeys) if (!Object.hasOwn(tr, k)) problems.push(`${file}: missing ${JSON.stringify(k)}`);
    for (const k of Object.keys(tr)) if (!codeKeys.includes(k)) problems.push(`${file}: not used in code ${JSON.stringify(k)}`);
    for (const k of codeKeys) if (Object.hasOwn(tr, k)) problems.push(...checkTranslation(file, k, tr[k]!));
  }
  assert.deepEqual(problems, []);
});

/** The user-visible fields of package.json's contributes, with where they are. */
function manifestTexts(pkg: Record<string, unknown>): Array<{ where: string; value: unknown }> {
  const out: Array<{ where: string; value: unknown }> = [
    { where: 'displayName', value: pkg['displayName'] },
    { where: 'description', value: pkg['description'] },
  ];
  const TEXT_FIELDS = new Set([
    'title', 'shortTitle', 'name', 'contextualTitle', 'contents', 'description', 'markdownDescription', 'label', 'altText',
    'deprecationMessage', 'markdownDeprecationMessage',
  ]);
  const LIST_FIELDS = new Set(['enumDescriptions', 'markdownEnumDescriptions']);
  const walk = (node: unknown, where: string, parentKey: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${where}[${i}]`, parentKey));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      // Under configuration.properties the keys are setting ids, not fields.
      const isField = parentKey !== 'properties';
      if (isField && TEXT_FIELDS.has(k) && typeof v === 'string') out.push({ where: `${where}.${k}`, value: v });
      else if (isField && LIST_FIELDS.has(k) && Array.isArray(v)) v.forEach((x, i) => out.push({ where: `${where}.${k}[${i}]`, value: x }));
      else if (isField && k === 'category' && typeof v === 'string') out.push({ where: `${where}.${k}`, value: v });
      else walk(v, `${where}.${k}`, k);
    }
  };
  walk(pkg['contributes'], 'contributes', '');
  walk(pkg['capabilities'], 'capabilities', '');
  return out;
}

test('every user-visible text of package.json comes from package.nls.json, and each translation has them all', () => {
  const pkg = readJson('package.json');
  assert.equal(pkg['l10n'], './l10n', 'package.json names the l10n folder');
  const texts = manifestTexts(pkg);
  assert.ok(texts.length > 50, `only ${texts.length} texts found`);
  const used = new Set<string>();
  const problems: string[] = [];
  for (const { where, value } of texts) {
    const m = typeof value === 'string' ? /^%([^%]+)%$/.exec(value) : null;
    if (!m) problems.push(`${where} is not a %key%: ${JSON.stringify(value)}`);
    else if (!Object.hasOwn(nlsEnglish, m[1]!)) problems.push(`${where}: ${m[1]} is not in package.nls.json`);
    else used.add(m[1]!);
  }
  for (const k of Object.keys(nlsEnglish)) if (!used.has(k)) problems.push(`package.nls.json: ${k} is not used`);
  assert.ok(nlsTranslations.includes('package.nls.zh-cn.json'), nlsTranslations.join(', '));
  for (const file of nlsTranslations) {
    const tr = strings(file);
    for (const k of Object.keys(nlsEnglish)) {
      if (!Object.hasOwn(tr, k)) problems.push(`${file}: missing ${k}`);
      else problems.push(...checkTranslation(file, nlsEnglish[k]!, tr[k]!));
    }
    for (const k of Object.keys(tr)) if (!Object.hasOwn(nlsEnglish, k)) problems.push(`${file}: ${k} is not in package.nls.json`);
  }
  assert.deepEqual(problems, []);
});

test('the packaged extension carries the bundles and the manifest translations', () => {
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const f of ['package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.json', 'l10n/bundle.l10n.zh-cn.json']) {
    assert.ok(files.includes(f), `${f} is not in the .vsix: ${files.join(', ')}`);
  }
});
