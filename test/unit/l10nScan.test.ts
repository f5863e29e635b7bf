// The scanner behind the l10n completeness test (scripts/l10n/stringScan.ts), on small sources: each
// way a string can reach the UI without a translation is caught, and what is not UI text (log lines,
// ids, icons, programmer errors, header names) is left alone. Without these the completeness test
// could pass by seeing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readsLikeWords, scanSource } from '../../scripts/l10n/stringScan.js';

// A file of src/vscode, so `../presentation/translate.js` is the translate module.
const FILE = 'src/vscode/commands/fixture.ts';
const HEADER = "import * as vscode from 'vscode';\nimport { msg, t, type MessageKey } from '../presentation/translate.js';\n";

function problemsOf(body: string): string[] {
  return scanSource(FILE, HEADER + body).problems.map((p) => `${p.why}: ${p.text}`);
}

const NOT_LOCALIZED: Record<string, string> = {
  'a message box': "export function f() { void vscode.window.showInformationMessage('Copied'); }",
  'an action named through a const': "const RETRY = 'Retry';\nexport function f(m: string) { void vscode.window.showErrorMessage(m, RETRY); }",
  'a tree description fragment': 'export function f(item: vscode.TreeItem, x: string) { item.description = `filter: ${x}*`; }',
  'a lowercase word in a description': "export function f(item: vscode.TreeItem) { item.description = 'environment'; }",
  'a template pushed into a joined list': 'export function f(parts: string[], a: number, b: number) { parts.push(`${a} of ${b}`); }',
  'an error shown to the user': "export function f() { throw new Error('Something went wrong'); }",
  "an error class's message": 'export class BigError extends Error { constructor(k: string) { super(`${k} is too big`); } }',
  'a quick pick label': "export const items = [{ label: 'Overwrite' }];",
  'a table of state words': "export const WORDS = { running: 'Running', done: 'Done' };",
  'a validation message': "export function check(v: string) { return v ? undefined : 'Enter a name.'; }",
  'Chinese written into the code': "export function f() { void vscode.window.showInformationMessage('已完成'); }",
  'a status bar text': "export function f(item: vscode.StatusBarItem) { item.text = `$(sync) ${1} moving`; }",
  'a phrase compared with (an untranslated action)': "export async function f(pick?: string) { if (pick === 'Show Log') return 1; }",
};

const BAD_CALLS: Record<string, string> = {
  'a message that is not a literal': 'export function f(m: string) { return vscode.l10n.t(m); }',
  'too few arguments for the placeholders': "export function f(a: string) { return vscode.l10n.t('{0} of {1}', a); }",
  'more arguments than placeholders': "export function f(a: string) { return t('Done', a); }",
  'a named placeholder': "export function f(a: string) { return t('Hello {name}', a); }",
  'translated while the module loads': "export const LABEL = vscode.l10n.t('Load more');",
  'a MessageKey made by a cast': "export const K = 'Not marked' as MessageKey;",
};

test('each way a string reaches the UI untranslated is caught', () => {
  for (const [what, src] of Object.entries({ ...NOT_LOCALIZED, ...BAD_CALLS })) {
    assert.ok(problemsOf(src).length > 0, `not caught: ${what}\n${src}`);
  }
});

test('localized strings and text that is not UI pass, and the messages are collected', () => {
  const src = [
    "export function a(n: number) { void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0} keys', n)); }",
    "export function b(log: { info(s: string): void }, n: number) { log.info(`Uploaded ${n} files to the bucket`); }",
    "export function c() { return vscode.commands.registerCommand('ossTransfer.copyKey', () => undefined); }",
    "export function d(item: vscode.TreeItem, added: boolean) { item.iconPath = new vscode.ThemeIcon('sync~spin'); item.contextValue = `bucket${added ? '.added' : ''}`; }",
    "export function e(n: number) { if (n < 0) throw new RangeError('bad part size'); return { headers: { 'Content-Type': 'text/plain' } }; }",
    "export function f() { return vscode.window.showInputBox({ placeHolder: 'cn-hangzhou', prompt: t('Region') }); }",
    "const WORDS: Record<string, MessageKey> = { running: msg('Running') };",
    "export function g(direction: string) { return direction === 'upload' ? t('Upload') : t('Download'); }",
    'export function h(item: vscode.TreeItem, b: string, k: string) { item.description = `oss://${b}/${k}`; }',
    "export function i(code: string) { if (code === 'Forbidden' || code.startsWith('NoPermission')) return 1; switch (code) { case 'Credentials': return 2; } }",
  ].join('\n');
  const r = scanSource(FILE, HEADER + src);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.uses.map((u) => u.key).sort(), ['Copied {0} keys', 'Download', 'Region', 'Running', 'Upload']);
});

test('a function marked @l10n-log builds log text: its strings pass, and it is listed', () => {
  const body = "function summary(n: number): string {\n  return `Network: ${n} proxies in use`;\n}\nexport const line = summary(1);\n";
  assert.ok(problemsOf(body).length > 0, 'unmarked, the log line is caught');
  const marked = scanSource(FILE, `${HEADER}/** @l10n-log for the log only. */\n${body}`);
  assert.deepEqual(marked.problems, []);
  assert.deepEqual(marked.logOnly, [`${FILE}:4 summary (log)`]);
});

test('what reads like words', () => {
  for (const s of ['Load more', 'Retry', 'Size: 3', 'added by name', '已完成']) assert.ok(readsLikeWords(s, false), s);
  for (const s of ['ossTransfer.refresh', 'sync~spin', 'TransferError', 'GET', 'batch:', 'utf8', '$(check)']) assert.ok(!readsLikeWords(s, false), s);
  assert.ok(readsLikeWords('{0} of {1}', true), 'a word beside a space in a template');
  assert.ok(!readsLikeWords('bucket|{0}', true), 'an id built by a template');
  assert.ok(!readsLikeWords(' requestId={0}', true), 'key=value of a log line');
});
