import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, groupDigits, inlineCode, objectDescription, objectTooltipLines } from '../../src/vscode/presentation/objectFormat.js';
import { formatBytes } from '../../src/vscode/presentation/quantityFormat.js';

test('formatBytes', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1.0 KiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(1024 * 1024 - 1), '1.0 MiB');
  assert.equal(formatBytes(123.4 * 1024 * 1024), '123 MiB');
  assert.equal(formatBytes(5 * 1024 ** 4), '5.0 TiB');
  assert.equal(formatBytes(-1), '?');
  assert.equal(formatBytes(Number.NaN), '?');
});

test('formatDateTime uses local time and keeps junk visible', () => {
  assert.equal(formatDateTime(new Date(2024, 4, 8, 3, 7, 59)), '2024-05-08 03:07');
  assert.equal(formatDateTime(new Date(2024, 4, 8, 3, 7).toISOString()), '2024-05-08 03:07');
  assert.equal(formatDateTime('not a date'), 'not a date');
});

test('description and tooltip', () => {
  const iso = new Date(2020, 0, 2, 10, 30).toISOString();
  assert.equal(objectDescription(2048, iso), '2.0 KiB · 2020-01-02 10:30');
  assert.equal(groupDigits(1234567), '1,234,567');
  assert.equal(inlineCode('a`b'), '`` a`b ``');
  const lines = objectTooltipLines({ key: 'a/b.txt', size: 1234567, lastModified: iso, etag: '"ABC"', storageClass: 'Standard', type: 'Normal' }, true);
  assert.deepEqual(lines, [
    '**` a/b.txt `**',
    'Size: 1,234,567 bytes (1.2 MiB)',
    'Modified: 2020-01-02 10:30',
    'ETag: ` "ABC" `',
    'Storage class: Standard',
    'Object type: Normal',
    'CRC-64: loading…',
  ]);
  const withCrc = objectTooltipLines({ key: 'k', size: 1, lastModified: iso, crc64: '123' }, false);
  assert.equal(withCrc.at(-1), 'CRC-64: ` 123 `');
});
