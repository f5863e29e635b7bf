// What is left of a sync once its files are handed to the TransferManager: the folder markers, the
// deletes the user approved in the preview, and recording each landed file in the pair's index. A
// sync writes it when its batch starts, so a batch restored after a reload (or resumed after a
// cancel) still finishes the whole sync: one JSON file per sync in the state folder, next to the
// index (named after the pair and the batch), replaced atomically. It holds no secret: the pair, the profile's id, the batch's item ids
// with what each file was expected to be, the markers and the deletes (a local delete with the size
// and time the preview saw, so a file changed since is not deleted). A sync of the same pair started
// later removes it. A file that cannot be read whole is set aside (.corrupt-<time>) and nothing of
// it is deleted.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeAtomically } from '../checkpoint/checkpointStore.js';
import { acquireLockFile, removeLockIfStale } from '../locking/processLockFile.js';
import { TransferError } from '../transferError.js';
import type { FinishItem, Landing } from './syncFinish.js';
import { pairId, type SyncPair } from './syncIndex.js';
import type { SyncDirection, SyncItem, SyncPlan } from './syncTypes.js';

const FORMAT = 1;
const PREFIX = 'remainder-';
const SUFFIX = '.json';

/** One file of the batch: its item id, where it goes, its name in the index and what it was expected to be. */
export interface RemainderFile extends Landing {
  id: string;
  name: string;
}

export interface RemainderFacts {
  batchId: string;
  label: string;
  direction: SyncDirection;
  pair: SyncPair;
  profileId: string;
  /** When the sync started (ISO). */
  created: string;
  files: RemainderFile[];
  markers: FinishItem[];
  deletes: FinishItem[];
}

type FileTuple = [id: string, action: 'u' | 'd', name: string, size: number, stamp: number | string];
type MarkerTuple = [action: 'u' | 'd', name: string, key: string, file: string];
type DeleteTuple = [name: string, key: string, file: string, size: number | null, mtimeMs: number | null];

const BATCH_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function remainderPath(stateDir: string, pair: SyncPair, batchId: string): string {
  if (!BATCH_ID.test(batchId)) throw new Error(`Invalid batch id for a sync's remainder: ${JSON.stringify(batchId)}`);
  return path.join(stateDir, `${PREFIX}${pairId(pair)}-${batchId}${SUFFIX}`);
}

export class SyncRemainder {
  /** Item ids of files that landed (done in the manager); saved with the rest. */
  readonly landed: Set<string>;
  private dirty = false;
  /** Written at least once (or read): a later save only replaces a file that is still there. */
  private written: boolean;
  private removed = false;
  /** The facts as JSON without the closing brace: they never change, so a save only adds the landed ids. */
  private factsJson: string | undefined;

  private constructor(readonly file: string, readonly facts: RemainderFacts, landed: Iterable<string>, written: boolean) {
    this.landed = new Set(landed);
    this.written = written;
  }

  /** The remainder of `plan` run as batch `batchId` whose items are `ids` (in the order of `movers`). */
  static of(plan: SyncPlan, endpoint: string, batch: { id: string; label: string; ids: readonly string[] }, movers: readonly SyncItem[], rest: { markers: readonly SyncItem[]; deletes: readonly SyncItem[] }): SyncRemainder {
    if (!plan.stateDir) throw new Error('A sync without a state folder has no remainder.');
    if (batch.ids.length !== movers.length) throw new Error(`The batch holds ${batch.ids.length} item(s) for ${movers.length} file(s).`);
    const pair: SyncPair = { endpoint, bucket: plan.bucket, prefix: plan.prefix, localDir: path.resolve(plan.localDir) };
    const finishItem = (it: SyncItem): FinishItem => ({ action: it.action, key: it.key, file: it.file, name: it.name, ...(it.local ? { local: { size: it.local.size, mtimeMs: it.local.mtimeMs } } : {}) });
    const facts: RemainderFacts = {
      batchId: batch.id,
      label: batch.label,
      direction: plan.direction,
      pair,
      profileId: plan.profileId,
      created: new Date().toISOString(),
      files: movers.map((it, i) => ({
        id: batch.ids[i]!,
        name: it.name,
        action: it.action,
        ...(it.local ? { local: { size: it.local.size, mtimeMs: it.local.mtimeMs } } : {}),
        ...(it.remote ? { remote: { size: it.remote.size, lastModified: it.remote.lastModified } } : {}),
      })),
      markers: rest.markers.map(finishItem),
      deletes: rest.deletes.map(finishItem),
    };
    const r = new SyncRemainder(remainderPath(plan.stateDir, pair, batch.id), facts, [], false);
    r.dirty = true;
    return r;
  }

  /**
   * Takes the lock beside this remainder, held by whoever runs the rest of the sync (runSync from its
   * start, or a runner finishing it); undefined while a live process holds it. A window that died
   * after every file landed but before the deletes left its lock to be taken over.
   */
  tryLock(): (() => void) | undefined {
    try {
      return acquireLockFile(`${this.file}.lock`, this.facts.label);
    } catch (err) {
      if (err instanceof TransferError && err.code === 'AlreadyRunning') return undefined;
      throw err;
    }
  }

  /** The remainders in `stateDir`; a file that cannot be read whole is renamed .corrupt-<time> and reported. */
  static async readAll(stateDir: string): Promise<{ remainders: SyncRemainder[]; setAside: Array<{ file: string; reason: string }> }> {
    const names = await fs.readdir(stateDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    const remainders: SyncRemainder[] = [];
    const setAside: Array<{ file: string; reason: string }> = [];
    for (const name of names) {
      if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) continue;
      const file = path.join(stateDir, name);
      const r = await SyncRemainder.read(file);
      if (r.kind === 'ok') remainders.push(r.remainder);
      else if (r.kind === 'corrupt') setAside.push({ file, reason: r.reason });
    }
    return { remainders, setAside };
  }

  /** One remainder file: absent, read, or set aside as corrupt. */
  static async read(file: string): Promise<{ kind: 'ok'; remainder: SyncRemainder } | { kind: 'absent' } | { kind: 'corrupt'; reason: string }> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
      throw err;
    }
    try {
      const { facts, landed } = parse(text);
      if (path.basename(file) !== path.basename(remainderPath(path.dirname(file), facts.pair, facts.batchId))) throw new Error('its name does not match its folder, prefix and batch');
      return { kind: 'ok', remainder: new SyncRemainder(file, facts, landed, true) };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await fs.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
      return { kind: 'corrupt', reason };
    }
  }

  noteLanded(id: string): void {
    if (this.landed.has(id)) return;
    this.landed.add(id);
    this.dirty = true;
  }

  /**
   * Writes the file if something changed since the last save. The first save also removes what an
   * earlier sync of the same pair left (this sync planned its deletes afresh); a later one writes
   * only while the file is still there, so a remainder removed meanwhile (finished, or replaced by a
   * later sync) does not come back.
   */
  async save(): Promise<void> {
    if (!this.dirty || this.removed) return;
    this.dirty = false;
    try {
      if (!this.written) {
        await writeAtomically(this.file, this.text(), { syncFolder: false });
        this.written = true;
        await this.removeOlder();
      } else if (await exists(this.file)) {
        await writeAtomically(this.file, this.text(), { syncFolder: false });
      }
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  /** The sync finished: nothing remains. */
  async remove(): Promise<void> {
    this.removed = true;
    await fs.rm(this.file, { force: true });
  }

  private text(): string {
    this.factsJson ??= serializeFacts(this.facts).slice(0, -1);
    return `${this.factsJson},"landed":${JSON.stringify([...this.landed])}}`;
  }

  private async removeOlder(): Promise<void> {
    const dir = path.dirname(this.file);
    const mine = path.basename(this.file);
    const samePair = `${PREFIX}${pairId(this.facts.pair)}-`;
    for (const name of await fs.readdir(dir)) {
      if (name !== mine && name.startsWith(samePair) && name.endsWith(SUFFIX)) {
        await fs.rm(path.join(dir, name), { force: true });
        // Its lock goes too once nobody holds it (a window killed while running that sync left it).
        try {
          removeLockIfStale(path.join(dir, `${name}.lock`));
        } catch {
          // Left for a later sync of the pair to sweep.
        }
      }
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

function serializeFacts(f: RemainderFacts): string {
  const files: FileTuple[] = f.files.map((x) =>
    x.action === 'upload' ? [x.id, 'u', x.name, x.local?.size ?? 0, x.local?.mtimeMs ?? 0] : [x.id, 'd', x.name, x.remote?.size ?? 0, x.remote?.lastModified ?? ''],
  );
  const markers: MarkerTuple[] = f.markers.map((m) => [m.action === 'upload' ? 'u' : 'd', m.name, m.key, m.file]);
  const deletes: DeleteTuple[] = f.deletes.map((d) => [d.name, d.key, d.file, d.local?.size ?? null, d.local?.mtimeMs ?? null]);
  return JSON.stringify({
    format: FORMAT, batchId: f.batchId, label: f.label, direction: f.direction, pair: f.pair, profileId: f.profileId, created: f.created,
    files, markers, deletes,
  });
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function parse(text: string): { facts: RemainderFacts; landed: string[] } {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (!doc || typeof doc !== 'object') throw new Error('not an object');
  if (doc['format'] !== FORMAT) throw new Error(`format ${String(doc['format'])}`);
  const { batchId, label, direction, profileId, created } = doc;
  if (!isStr(batchId) || !batchId || !isStr(label) || !isStr(profileId) || !isStr(created)) throw new Error('a missing batch id, label, profile or date');
  if (direction !== 'upload' && direction !== 'download') throw new Error(`direction ${String(direction)}`);
  const p = doc['pair'] as Record<string, unknown> | undefined;
  if (!p || !isStr(p['endpoint']) || !isStr(p['bucket']) || !p['bucket'] || !isStr(p['prefix']) || !isStr(p['localDir']) || !path.isAbsolute(p['localDir'])) throw new Error('a malformed pair');
  const pair: SyncPair = { endpoint: p['endpoint'], bucket: p['bucket'], prefix: p['prefix'], localDir: p['localDir'] };
  const list = (key: string): unknown[] => {
    const v = doc[key];
    if (!Array.isArray(v)) throw new Error(`no ${key} list`);
    return v;
  };
  const files = list('files').map((v): RemainderFile => {
    const t = v as unknown[];
    if (!Array.isArray(t) || t.length !== 5 || !isStr(t[0]) || !t[0] || (t[1] !== 'u' && t[1] !== 'd') || !isStr(t[2]) || !isSize(t[3])) throw new Error('a malformed file record');
    if (t[1] === 'u') {
      if (!isTime(t[4])) throw new Error(`a malformed time for "${t[2]}"`);
      return { id: t[0], name: t[2], action: 'upload', local: { size: t[3], mtimeMs: t[4] } };
    }
    if (!isStr(t[4]) || Number.isNaN(Date.parse(t[4]))) throw new Error(`a malformed time for "${t[2]}"`);
    return { id: t[0], name: t[2], action: 'download', remote: { size: t[3], lastModified: t[4] } };
  });
  const markers = list('markers').map((v): FinishItem => {
    const t = v as unknown[];
    if (!Array.isArray(t) || t.length !== 4 || (t[0] !== 'u' && t[0] !== 'd') || !isStr(t[1]) || !t[1].endsWith('/') || !isStr(t[2]) || !isStr(t[3])) throw new Error('a malformed folder record');
    if (t[0] === 'u' ? !t[2].endsWith('/') : !path.isAbsolute(t[3])) throw new Error(`a malformed folder record for "${t[1]}"`);
    return { action: t[0] === 'u' ? 'upload' : 'download', name: t[1], key: t[2], file: t[3] };
  });
  const deletes = list('deletes').map((v): FinishItem => {
    const t = v as unknown[];
    if (!Array.isArray(t) || t.length !== 5 || !isStr(t[0]) || !t[0] || !isStr(t[1]) || !isStr(t[2])) throw new Error('a malformed delete record');
    if (direction === 'upload' ? !t[1] : !path.isAbsolute(t[2])) throw new Error(`a malformed delete record for "${t[0]}"`);
    const hasLocal = t[3] !== null || t[4] !== null;
    // A local file is deleted only while it is what the preview saw: without that there is no delete.
    if (direction === 'download' && !t[0].endsWith('/') && !(isSize(t[3]) && isTime(t[4]))) throw new Error(`no size and time for the delete of "${t[0]}"`);
    if (hasLocal && !(isSize(t[3]) && isTime(t[4]))) throw new Error(`a malformed size or time for "${t[0]}"`);
    return { action: 'delete', name: t[0], key: t[1], file: t[2], ...(hasLocal ? { local: { size: t[3] as number, mtimeMs: t[4] as number } } : {}) };
  });
  const ids = new Set(files.map((f) => f.id));
  if (ids.size !== files.length) throw new Error('a file listed twice');
  const landed = list('landed');
  if (!landed.every((id) => isStr(id) && ids.has(id))) throw new Error('a landed file that is not in the batch');
  return { facts: { batchId, label, direction, pair, profileId, created, files, markers, deletes }, landed: landed as string[] };
}
