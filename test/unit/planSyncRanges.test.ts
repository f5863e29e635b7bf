// planSync lists the prefix in key ranges cut where the index of the last sync says the names are,
// asked for before the folder is walked (a repeated sync of many files: every page at once, none
// twice). The cuts are only a guess: whatever changed on either side since, in any range or past
// the last cut, must still be found, and the folder may have grown past the index's last name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ListObjectsV2Options, ListObjectsV2Result, ObjectSummary } from '../../src/oss/types.js';
import { planSync } from '../../src/transfer/index.js';
import { SyncIndex } from '../../src/transfer/sync/syncIndex.js';
import type { SyncPlan } from '../../src/transfer/sync/syncTypes.js';

const ENDPOINT = 'http://fake';
const BUCKET = 'b';
const PREFIX = 'site/';

/** ListObjectsV2 over a sorted list of objects (keys in UTF-8 byte order); records every request and how many overlap. */
class FakeBucket {
  readonly requests: ListObjectsV2Options[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly endpoint = ENDPOINT;
  private sorted: ObjectSummary[] = [];
  constructor(readonly objects: Map<string, ObjectSummary>) {}

  async listObjectsV2(o: ListObjectsV2Options): Promise<ListObjectsV2Result> {
    if (this.requests.length === 0) this.sorted = [...this.objects.values()].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    this.requests.push(o);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    const after = o.continuationToken ?? o.startAfter;
    const all = this.sorted.filter((x) => x.key.startsWith(o.prefix ?? '') && (after === undefined || Buffer.compare(Buffer.from(x.key), Buffer.from(after)) > 0));
    const page = all.slice(0, o.maxKeys ?? 1000);
    const truncated = all.length > page.length;
    return {
      status: 200, requestId: 'fake', headers: {}, name: BUCKET, prefix: o.prefix ?? '', objects: page.map((x) => ({ ...x })), prefixes: [],
      isTruncated: truncated, keyCount: page.length, ...(truncated ? { nextContinuationToken: page[page.length - 1]!.key } : {}),
    };
  }

  headObject(): never {
    throw new Error('no HEAD is needed when the index knows every name');
  }
}

const etagOf = (name: string, version = 0) => `"${Buffer.from(`${name}#${version}`).toString('hex').slice(0, 32).toUpperCase()}"`;
const object = (name: string, version = 0): ObjectSummary => ({ key: PREFIX + name, size: 1, etag: etagOf(name, version), lastModified: '2026-01-01T00:00:00.000Z', storageClass: 'Standard', type: 'Normal' });
const nameOf = (i: number) => `f${String(i).padStart(5, '0')}.txt`;

/**
 * A folder of `count` one-byte files, the bucket holding the same, and the index of the sync that
 * made them so: what a repeated sync starts from.
 */
async function syncedPair(count: number): Promise<{ dir: string; stateDir: string; objects: Map<string, ObjectSummary>; cleanup: () => Promise<void> }> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'oss-plan-ranges-'));
  const dir = path.join(root, 'folder');
  const stateDir = path.join(root, 'state');
  await fsp.mkdir(dir);
  const objects = new Map<string, ObjectSummary>();
  const index = await SyncIndex.open(stateDir, { endpoint: ENDPOINT, bucket: BUCKET, prefix: PREFIX, localDir: dir });
  for (let i = 0; i < count; i++) {
    const name = nameOf(i);
    await fsp.writeFile(path.join(dir, name), 'x');
    const o = object(name);
    objects.set(o.key, o);
    index.set(name, { localSize: 1, localMtimeMs: statSync(path.join(dir, name)).mtimeMs, etag: o.etag, remoteSize: 1 });
  }
  await fsp.mkdir(stateDir, { recursive: true });
  await index.save();
  return { dir, stateDir, objects, cleanup: () => fsp.rm(root, { recursive: true, force: true }) };
}

const plan = (fake: FakeBucket, dir: string, stateDir: string, direction: 'upload' | 'download' = 'upload'): Promise<SyncPlan> =>
  planSync(fake, { direction, localDir: dir, bucket: BUCKET, prefix: PREFIX, stateDir });

/** Names by kind, sorted. */
function byKind(p: SyncPlan): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const it of p.items) (out[it.kind] ??= []).push(it.name);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

test('a repeated sync asks for every listing page once, all at once, cut where the last sync left the names', async () => {
  const pair = await syncedPair(2000);
  try {
    const fake = new FakeBucket(pair.objects);
    const p = await plan(fake, pair.dir, pair.stateDir);
    assert.equal(p.totals.unchanged.files, 2000);
    assert.equal(p.items.length, 2000);
    // Cuts after the 900th and 1800th names: three ranges of one page each. The first range's
    // page is back before the folder is walked, so without the index's cuts it asked for a second
    // page that the next range lists anyway.
    assert.deepEqual(fake.requests.map((r) => r.startAfter ?? r.continuationToken ?? null), [null, PREFIX + nameOf(899), PREFIX + nameOf(1799)]);
    assert.equal(fake.maxInFlight, 3, 'the three ranges are asked for together');
  } finally {
    await pair.cleanup();
  }
});

test('ranges from the index still find every change on both sides, in each range and past the last cut, and a folder that grew', async () => {
  const pair = await syncedPair(2000);
  try {
    const { dir, objects } = pair;
    // Remote: one object replaced in the middle range, one deleted in the first, extras in every range and past the end.
    objects.set(PREFIX + nameOf(1200), object(nameOf(1200), 1));
    objects.delete(PREFIX + nameOf(10));
    for (const extra of [`${nameOf(450)}.bak`, `${nameOf(1500)}.bak`, `${nameOf(1950)}.bak`, 'zz-remote-only.txt']) objects.set(PREFIX + extra, object(extra));
    // Local: one file edited in the last range, and 2,500 new ones past the index's last name (the folder grew).
    await fsp.writeFile(path.join(dir, nameOf(1900)), 'xy');
    const grown = Array.from({ length: 2500 }, (_, i) => `g${String(i).padStart(5, '0')}.txt`);
    for (const name of grown) await fsp.writeFile(path.join(dir, name), 'x');

    const fake = new FakeBucket(objects);
    const p = await plan(fake, dir, pair.stateDir);
    const kinds = byKind(p);
    assert.deepEqual(kinds['changed'], [nameOf(1200), nameOf(1900)]);
    assert.deepEqual(kinds['new'], [nameOf(10), ...grown].sort());
    assert.deepEqual(kinds['extraneous'], [`${nameOf(450)}.bak`, `${nameOf(1500)}.bak`, `${nameOf(1950)}.bak`, 'zz-remote-only.txt']);
    assert.equal(kinds['unchanged']!.length, 2000 - 3);
    assert.equal(p.items.length, 2000 + 2500 + 4 - 0);
    // Each remote key was planned once: no range listed a key its neighbour did.
    const remoteNames = p.items.filter((it) => it.remote).map((it) => it.name);
    assert.equal(new Set(remoteNames).size, remoteNames.length);
    assert.equal(remoteNames.length, objects.size);
    // The grown part was cut from the local names too: ranges past the index's last cut.
    assert.ok(fake.requests.some((r) => r.startAfter !== undefined && r.startAfter > PREFIX + nameOf(1999)), 'the names past the index are listed in ranges of their own');
  } finally {
    await pair.cleanup();
  }
});

test('a download into a folder emptied since the last sync is still listed in ranges, and every object comes down', async () => {
  const pair = await syncedPair(2000);
  try {
    for (const f of await fsp.readdir(pair.dir)) await fsp.rm(path.join(pair.dir, f));
    const fake = new FakeBucket(pair.objects);
    const p = await plan(fake, pair.dir, pair.stateDir, 'download');
    assert.equal(p.totals.download.files, 2000);
    assert.deepEqual(p.items.map((it) => it.name), [...pair.objects.keys()].map((k) => k.slice(PREFIX.length)));
    // The empty folder gives no cuts; the index of the last sync does.
    assert.equal(fake.requests.length, 3);
    assert.equal(fake.maxInFlight, 3);
  } finally {
    await pair.cleanup();
  }
});
