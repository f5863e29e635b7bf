import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ListObjectsV2Options, ListObjectsV2Result, ObjectSummary } from '../../src/oss/types.js';
import { keyOrder, keysAfter, pagesInRanges, rangeBoundaries, rangePages, startRange } from '../../src/transfer/listing/keyRangePages.js';

/** ListObjectsV2 over a sorted key list, in UTF-8 byte order as OSS lists; counts requests and how many overlap. */
class FakeLister {
  readonly keys: string[];
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(keys: string[], private readonly ignoreStartAfter = false) {
    this.keys = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
  async listObjectsV2(o: ListObjectsV2Options): Promise<ListObjectsV2Result> {
    this.requests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    const after = o.continuationToken ?? (this.ignoreStartAfter ? undefined : o.startAfter);
    const keys = this.keys.filter((k) => k.startsWith(o.prefix ?? '') && (after === undefined || Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0));
    const page = keys.slice(0, o.maxKeys ?? 1000);
    const truncated = keys.length > page.length;
    const objects: ObjectSummary[] = page.map((key) => ({ key, size: 1, etag: '"e"', lastModified: 't', storageClass: 'Standard', type: 'Normal' }));
    return {
      status: 200, requestId: 'fake', headers: {}, name: 'b', prefix: o.prefix ?? '', objects, prefixes: [], isTruncated: truncated, keyCount: objects.length,
      ...(truncated ? { nextContinuationToken: page[page.length - 1]! } : {}),
    };
  }
}

async function listAll(fake: FakeLister, prefix: string, localKeys: string[], pageSize = 1000): Promise<string[]> {
  const boundaries = rangeBoundaries(localKeys, Math.floor(pageSize * 0.9));
  const opening = startRange(rangePages(fake, 'b', prefix, undefined, () => boundaries[0], { pageSize }));
  const out: string[] = [];
  for await (const page of pagesInRanges([opening], boundaries, (after, upper) => startRange(rangePages(fake, 'b', prefix, after, () => upper, { pageSize })))) {
    for (const o of page) out.push(o.key);
  }
  return out;
}

test('keyOrder is UTF-8 byte order, where JS string order is not', () => {
  const keys = ['a', 'ab', 'b', '\u00e9', '\uffef', '\u{1f600}', '\ue000', 'Z', ''];
  const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual([...keys].sort(keyOrder), byBytes);
  assert.ok(keyOrder('\u{1f600}', '\uffef') > 0 && '\u{1f600}' < '\uffef', 'a code point above U+FFFF sorts after U+FFEF in bytes, before it in UTF-16');
});

test('keyOrder, keysAfter and the cuts agree with UTF-8 byte order on random keys, with and without units above U+D7FF', () => {
  const bytes = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), Math.floor(seed / 65536) % n);
  for (const pool of [['a', 'b', '/', '0', 'Z'], ['a', '/', '\u00e9', '\ud7ff', '\ue000', '\uffef', '\u{1f600}', '\u{10000}']]) {
    const keys = Array.from({ length: 3000 }, () => Array.from({ length: 1 + rand(6) }, () => pool[rand(pool.length)]!).join(''));
    for (let i = 0; i + 1 < keys.length; i += 2) {
      const [a, b] = [keys[i]!, keys[i + 1]!];
      assert.equal(Math.sign(keyOrder(a, b)), bytes(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      assert.equal(keysAfter(b)(a), bytes(a, b) > 0, `${JSON.stringify(a)} after ${JSON.stringify(b)}`);
    }
    const distinct = [...new Set(keys)];
    const sorted = [...distinct].sort((a, b) => bytes(a, b));
    assert.deepEqual(rangeBoundaries(distinct, 50), sorted.filter((_, i) => i % 50 === 49 && i < sorted.length - 1));
  }
});

test('rangeBoundaries: every 900th key in byte order, none at the very end', () => {
  const keys = Array.from({ length: 2500 }, (_, i) => `p/${String(i).padStart(5, '0')}`).reverse();
  assert.deepEqual(rangeBoundaries(keys), ['p/00899', 'p/01799']);
  assert.deepEqual(rangeBoundaries(keys.slice(0, 900)), [], 'one range of names: no cut');
});

test('ranges give exactly the keys of one listing, in order, with extras, gaps and non-BMP keys at the cuts, and ask for them together', async () => {
  const local = Array.from({ length: 5000 }, (_, i) => `s/f${String(i).padStart(5, '0')}`);
  // The bucket: most local names, some missing, extras everywhere, names around the cut points that
  // JS and OSS order differently, and keys outside the prefix.
  const remote = local.filter((_, i) => i % 97 !== 0);
  for (let i = 0; i < 300; i++) remote.push(`s/f${String(i * 17).padStart(5, '0')}-extra`);
  remote.push('s/f00998\u{1f600}', 's/f00998\uffef', 's/f01996\ue000', 's/zzz', 's/', 't/other', 'r/other');
  const fake = new FakeLister(remote);
  const expected = fake.keys.filter((k) => k.startsWith('s/'));
  const got = await listAll(fake, 's/', local);
  assert.deepEqual(got, expected);
  assert.ok(fake.maxInFlight >= 4, `ranges were asked for together (at most ${fake.maxInFlight} at once)`);
  const plain = new FakeLister(remote);
  assert.deepEqual(await listAll(plain, 's/', []), expected, 'no local names: one listing');
  assert.ok(fake.requests <= plain.requests + 1, `ranges ask for no page twice (${fake.requests} requests against ${plain.requests})`);
});

test('a server that ignores start-after still gives every key once, in order', async () => {
  const local = Array.from({ length: 3000 }, (_, i) => `k${String(i).padStart(5, '0')}`);
  const fake = new FakeLister([...local, 'k00500x', 'k02999z'], true);
  assert.deepEqual(await listAll(fake, '', local), fake.keys);
});

test('ranges of small pages: a range larger than its page is followed to its end', async () => {
  const local = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(3, '0')}`);
  // Each range expects 9 names; the bucket has 3 extras per local name in the middle.
  const remote = [...local];
  for (let i = 20; i < 40; i++) remote.push(`k${String(i).padStart(3, '0')}a`, `k${String(i).padStart(3, '0')}b`, `k${String(i).padStart(3, '0')}c`);
  const fake = new FakeLister(remote);
  assert.deepEqual(await listAll(fake, '', local, 10), fake.keys);
});

test('a cut on a name that UTF-16 and UTF-8 order differently keeps the listing in OSS order', async () => {
  const local = [...Array.from({ length: 899 }, (_, i) => `a${String(i).padStart(4, '0')}`), 'm\u{1f600}', ...Array.from({ length: 1500 }, (_, i) => `z${String(i).padStart(4, '0')}`)];
  assert.deepEqual(rangeBoundaries(local).slice(0, 1), ['m\u{1f600}']);
  // Below the cut in bytes, above it in UTF-16: compared the JS way, the first range would stop before them and the second start after them.
  const fake = new FakeLister([...local, 'm\uffef', 'm\ue000', 'm\u{1f600}x']);
  assert.deepEqual(await listAll(fake, '', local), fake.keys);
});
