// The sync settings through the one reader: include/exclude are lists of gitignore-style patterns
// (trimmed, empty entries dropped), compare is one of the two modes; anything else in settings.json
// gives the default with one warning, as every other setting does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SettingsReader, syncSettingsFrom } from '../../src/vscode/settings/settingValues.js';

const getter = (values: Record<string, unknown>) => (key: string) => values[key];

test('nothing set: no patterns of its own, size-mtime compare, no warning', () => {
  const { values, warnings } = new SettingsReader().read(getter({}));
  assert.deepEqual(warnings, []);
  assert.deepEqual(syncSettingsFrom(values), { include: [], exclude: [], compare: 'size-mtime' });
});

test('patterns and checksum pass through, trimmed, empty entries dropped', () => {
  const { values, warnings } = new SettingsReader().read(
    getter({ 'sync.include': ['dist/**', ' *.html '], 'sync.exclude': ['*.map', '', '  ', 'tmp/'], 'sync.compare': 'checksum' }),
  );
  assert.deepEqual(warnings, []);
  assert.deepEqual(syncSettingsFrom(values), { include: ['dist/**', '*.html'], exclude: ['*.map', 'tmp/'], compare: 'checksum' });
});

test('not a list, entries that are not text, an unknown compare mode: the default or the text entries, with one warning each', () => {
  const reader = new SettingsReader();
  const set = { 'sync.include': '*.html', 'sync.exclude': ['*.map', 3, null], 'sync.compare': 'md5' };
  const { values, warnings } = reader.read(getter(set));
  assert.deepEqual(syncSettingsFrom(values), { include: [], exclude: ['*.map'], compare: 'size-mtime' });
  assert.deepEqual(warnings.map((w) => [w.key, w.used]), [
    ['ossTransfer.sync.include', []],
    ['ossTransfer.sync.exclude', ['*.map']],
    ['ossTransfer.sync.compare', 'size-mtime'],
  ]);
  assert.match(warnings[0]!.message, /^Setting ossTransfer\.sync\.include is "\*\.html", not a list/);
  assert.match(warnings[1]!.message, /not text/);
  // Said once per value.
  assert.deepEqual(reader.read(getter(set)).warnings, []);
});
