import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIsoBasic, formatRfc1123, parseOssDate } from '../../src/oss/signing/ossDate.js';

const d = new Date(Date.UTC(2022, 11, 28, 10, 27, 41));

test('format both forms in UTC', () => {
  assert.equal(formatRfc1123(d), 'Wed, 28 Dec 2022 10:27:41 GMT');
  assert.equal(formatIsoBasic(d), '20221228T102741Z');
  assert.equal(formatIsoBasic(new Date(Date.UTC(2023, 11, 16, 16, 20, 57, 999))), '20231216T162057Z');
  assert.equal(formatRfc1123(new Date(Date.UTC(2024, 0, 5, 3, 4, 5))), 'Fri, 05 Jan 2024 03:04:05 GMT');
  assert.throws(() => formatIsoBasic(new Date(NaN)), /invalid Date/);
  assert.throws(() => formatRfc1123(new Date(NaN)), /invalid Date/);
});

test('parse both forms', () => {
  assert.equal(parseOssDate('Wed, 28 Dec 2022 10:27:41 GMT')?.getTime(), d.getTime());
  assert.equal(parseOssDate('20221228T102741Z')?.getTime(), d.getTime());
  assert.equal(parseOssDate('Wed, 8 Dec 2022 10:27:41 GMT')?.getTime(), Date.UTC(2022, 11, 8, 10, 27, 41));
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  assert.equal(parseOssDate(formatRfc1123(now))?.getTime(), now.getTime());
  assert.equal(parseOssDate(formatIsoBasic(now))?.getTime(), now.getTime());
});

test('malformed or impossible dates are undefined', () => {
  for (const s of [
    '', 'yesterday', '2022-12-28T10:27:41Z', '20221228T102741', '20221228 102741Z', '20221231T246000Z',
    '20230229T000000Z', '20221301T000000Z', 'Wed, 28 Dec 2022 10:27:41 UTC', 'Wed, 28 Foo 2022 10:27:41 GMT',
    'Wed, 31 Apr 2022 10:27:41 GMT', 'Wed, 28 Dec 2022 10:27:60 GMT', '1699807420',
  ]) {
    assert.equal(parseOssDate(s), undefined, s);
  }
});
