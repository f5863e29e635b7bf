// The remembered sync pair per folder (workspace state): one per folder, the latest first, only
// what names the pair and its options (nothing secret), and junk from elsewhere ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { MAX_PAIRS, PAIRS_KEY, RememberedPairs, type SyncPair } from '../../src/vscode/sync/rememberedPairs.js';

class MapMemento {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    // Stored as VS Code stores it: JSON, so nothing but plain data survives.
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, value);
  }
}

const root = path.resolve('/ws');
function pair(folder: string, at: number, over: Partial<SyncPair> = {}): SyncPair {
  return {
    folder: path.join(root, folder), profileId: 'env', bucket: 'demo-bucket', prefix: `${folder}/`, direction: 'upload',
    include: [], exclude: ['*.map'], compare: 'size-mtime', deleteExtraneous: false, lastSyncedAt: at, ...over,
  };
}

test('one pair per folder: remembering again replaces it, whatever way the path is written', async () => {
  const m = new MapMemento();
  const pairs = new RememberedPairs(m);
  await pairs.remember(pair('site', 1));
  await pairs.remember(pair('data', 2, { direction: 'download', compare: 'checksum' }));
  await pairs.remember({ ...pair('site', 3, { deleteExtraneous: true, prefix: 'www/' }), folder: path.join(root, 'site') + path.sep });
  assert.deepEqual(pairs.all().map((p) => [path.basename(p.folder), p.prefix, p.deleteExtraneous, p.lastSyncedAt]), [
    ['site', 'www/', true, 3],
    ['data', 'data/', false, 2],
  ]);
  assert.equal(pairs.get(path.join(root, 'data'))!.compare, 'checksum');
  assert.equal(pairs.get(path.join(root, 'site', '..', 'site'))!.prefix, 'www/');
  assert.equal(pairs.get(path.join(root, 'other')), undefined);
  assert.equal(pairs.latest((f) => f.endsWith('data'))!.direction, 'download');
  await pairs.forget(path.join(root, 'site'));
  assert.deepEqual(pairs.all().map((p) => path.basename(p.folder)), ['data']);
});

test('only the pair\'s own fields are stored, and at most MAX_PAIRS of them', async () => {
  const m = new MapMemento();
  const pairs = new RememberedPairs(m);
  await pairs.remember({ ...pair('site', 1), secret: 'do-not-store' } as SyncPair);
  const stored = JSON.stringify(m.data.get(PAIRS_KEY));
  assert.doesNotMatch(stored, /do-not-store/);
  assert.deepEqual(Object.keys((m.data.get(PAIRS_KEY) as object[])[0]!).sort(), [
    'bucket', 'compare', 'deleteExtraneous', 'direction', 'exclude', 'folder', 'include', 'lastSyncedAt', 'prefix', 'profileId',
  ]);
  for (let i = 0; i < MAX_PAIRS + 5; i++) await pairs.remember(pair(`f${i}`, 10 + i));
  const all = pairs.all();
  assert.equal(all.length, MAX_PAIRS);
  assert.equal(path.basename(all[0]!.folder), `f${MAX_PAIRS + 4}`, 'the latest first');
  assert.equal(pairs.get(path.join(root, 'site')), undefined, 'the least recently synced went first');
});

test('entries that are not a pair (older versions, hand edits) are ignored', () => {
  const m = new MapMemento();
  m.data.set(PAIRS_KEY, [
    { ...pair('ok', 1) },
    { ...pair('relative', 2), folder: 'relative/path' },
    { ...pair('badprefix', 3), prefix: 'no-slash' },
    { ...pair('baddir', 4), direction: 'both' },
    { ...pair('badlist', 5), include: 'dist/**' },
    null,
    'text',
  ]);
  assert.deepEqual(new RememberedPairs(m).all().map((p) => path.basename(p.folder)), ['ok']);
  m.data.set(PAIRS_KEY, { not: 'a list' });
  assert.deepEqual(new RememberedPairs(m).all(), []);
});
