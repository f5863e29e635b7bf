// Finishes syncs whose batch outlived them: one restored after a reload (in this window or a later
// one), or one the user resumed or retried from the Transfers view after the sync stopped half way.
// It follows the manager's items of each remainder (syncRemainder.ts): each file that lands is
// recorded in the pair's index from the item's outcome; once every file of the batch this window
// holds has settled, either all landed and the rest of the sync runs with runSync's guards (markers,
// then the deletes, local ones only while the file is what the preview saw), or some failed, were
// cancelled or are gone, and nothing is deleted: the remainder stays, and its owner hears which
// deletes wait and why. A remainder none of whose files this window holds is left alone (another
// window may be running it), unless every file landed: then the window that ran it is making the
// deletes now or died before them, and the remainder's lock (held by runSync and by a runner
// finishing it) tells which; a dead holder's rest runs here. No vscode import: the UI passes the
// client, the trash and the messages.
import type { TransferManager } from '../batch/transferManager.js';
import type { TransferItem, TransferLog } from '../batch/transferTypes.js';
import { errorMessageOf } from '../errorDetail.js';
import { deleteExtraneous, emptyResult, placeMarkers, recordLanding, type FinishClient, type FinishItem } from './syncFinish.js';
import { SyncIndex } from './syncIndex.js';
import { SyncRemainder, type RemainderFacts, type RemainderFile } from './syncRemainder.js';
import type { SyncResult } from './syncTypes.js';

/** How often landed files are written while a batch finishes. */
const SAVE_MS = 3000;
/** How long close() waits for a sync that is still saving what remains of it. */
const CLOSE_WAIT_MS = 5000;

export interface RemainderHeld {
  failed: number;
  cancelled: number;
  /** Files of the batch no longer in the Transfers view (discarded), or without a record of landing. */
  missing: number;
  /** The deletes that wait. */
  deletes: readonly FinishItem[];
  /** Why the rest of the sync could not run (no client, a disk error). */
  error?: unknown;
}

export interface RemainderRunnerDeps {
  manager: Pick<TransferManager, 'onDidChange' | 'get' | 'finishedInEarlierSession'>;
  stateDir: string;
  clientFor(profileId: string, bucket: string): Promise<FinishClient>;
  /** How a local file is deleted (the extension: to the OS trash); default fs.rm. */
  deleteLocal?: (file: string) => Promise<void>;
  log?: TransferLog;
  /** The rest of the sync ran: `result` counts the whole sync's files, its markers and deletes. */
  onFinished?(facts: RemainderFacts, result: SyncResult): void;
  /** Every file this window holds settled, not all landed: nothing was deleted. */
  onHeld?(facts: RemainderFacts, held: RemainderHeld): void;
}

interface Tracked {
  r: SyncRemainder;
  byId: Map<string, RemainderFile>;
  /** One of its files has been in this window's manager. */
  seen: boolean;
  running: boolean;
  /** What was last said about it being held, so the same state is said once. */
  heldSig?: string;
  /** Its files all landed and a live process holds its lock: tried again every SAVE_MS, in case that process dies. */
  elsewhere?: boolean;
  landing: Array<Promise<void>>;
  index?: Promise<SyncIndex>;
}

export class SyncRemainderRunner {
  private readonly tracked = new Map<string, Tracked>();
  private readonly owner = new Map<string, Tracked>();
  private readonly finishing = new Set<Promise<void>>();
  private readonly syncs = new Set<Promise<unknown>>();
  private readonly sub: { dispose(): void };
  private readonly saver: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly deps: RemainderRunnerDeps) {
    this.sub = deps.manager.onDidChange((it) => this.changed(it));
    this.saver = setInterval(() => void this.saveAll(), SAVE_MS);
  }

  /** Reads every remainder in the state folder (a corrupt one is set aside and logged) and follows them. */
  static async start(deps: RemainderRunnerDeps): Promise<SyncRemainderRunner> {
    const runner = new SyncRemainderRunner(deps);
    try {
      const { remainders, setAside } = await SyncRemainder.readAll(deps.stateDir);
      for (const s of setAside) deps.log?.error(`What remained of a sync could not be read (${s.reason}); ${s.file} was set aside and nothing of it is deleted.`);
      for (const r of remainders) runner.add(r, false);
    } catch (err) {
      deps.log?.error(`Could not read what remains of earlier syncs in ${deps.stateDir}: ${errorMessageOf(err)}`);
    }
    return runner;
  }

  /** Follows the remainder a sync of this window kept (it stopped half way); says nothing until its files change. */
  async track(file: string): Promise<void> {
    const read = await SyncRemainder.read(file);
    if (read.kind === 'corrupt') this.deps.log?.error(`What remained of a sync could not be read (${read.reason}); ${file} was set aside and nothing of it is deleted.`);
    if (read.kind === 'ok' && !this.closed) this.add(read.remainder, true);
  }

  /** A sync running in this window: close() waits for it to write what remains of it. */
  during(sync: Promise<unknown>): void {
    this.syncs.add(sync);
    const done = (): void => void this.syncs.delete(sync);
    sync.then(done, done);
  }

  /** Settles once no remainder is being finished (tests). */
  async idle(): Promise<void> {
    while (this.finishing.size) await Promise.allSettled([...this.finishing]);
  }

  /** Stops following and writes what landed; waits a little for syncs still saving theirs. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sub.dispose();
    clearInterval(this.saver);
    await Promise.race([Promise.allSettled([...this.syncs]), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    await this.saveAll();
  }

  private add(r: SyncRemainder, quiet: boolean): void {
    const old = this.tracked.get(r.file);
    if (old) this.forget(old);
    const t: Tracked = { r, byId: new Map(r.facts.files.map((f) => [f.id, f])), seen: quiet, running: false, landing: [] };
    this.tracked.set(r.file, t);
    for (const f of r.facts.files) if (!r.landed.has(f.id)) this.owner.set(f.id, t);
    this.evaluate(t, quiet);
  }

  private forget(t: Tracked): void {
    if (this.tracked.get(t.r.file) === t) this.tracked.delete(t.r.file);
    for (const id of t.byId.keys()) if (this.owner.get(id) === t) this.owner.delete(id);
  }

  private changed(it: TransferItem | undefined): void {
    if (!it) {
      for (const t of [...this.tracked.values()]) this.evaluate(t, false);
      return;
    }
    const t = this.owner.get(it.id);
    if (t) this.evaluate(t, false);
  }

  private indexOf(t: Tracked): Promise<SyncIndex> {
    return (t.index ??= SyncIndex.open(this.deps.stateDir, t.r.facts.pair));
  }

  private land(t: Tracked, it: TransferItem): void {
    const f = t.byId.get(it.id);
    if (!f || t.r.landed.has(it.id)) return;
    t.r.noteLanded(it.id);
    this.owner.delete(it.id);
    t.landing.push(this.indexOf(t).then((index) => recordLanding(index, f.name, f, it)).catch((err) => this.deps.log?.warn(`Sync index: ${f.name} could not be recorded (${errorMessageOf(err)}).`)));
  }

  /**
   * A file that landed in a window which closed before recording it: no outcome to index it by, so
   * an index record that does not describe the file as it landed goes (the next plan compares the
   * two sides instead of seeing a conflict where only this sync changed the destination).
   */
  private landedEarlier(t: Tracked, f: RemainderFile): void {
    t.r.noteLanded(f.id);
    this.owner.delete(f.id);
    t.landing.push(
      this.indexOf(t)
        .then((index) => {
          const r = index.get(f.name);
          if (!r) return;
          const fits = f.action === 'upload'
            ? r.localSize === f.local?.size && r.localMtimeMs === f.local.mtimeMs
            : r.remoteSize === f.remote?.size && r.localSize === f.remote.size && r.localMtimeMs === Date.parse(f.remote.lastModified);
          if (!fits) index.delete(f.name);
        })
        .catch((err) => this.deps.log?.warn(`Sync index: ${f.name} could not be checked (${errorMessageOf(err)}).`)),
    );
  }

  private evaluate(t: Tracked, quiet: boolean): void {
    if (t.running || this.closed) return;
    let failed = 0;
    let cancelled = 0;
    let missing = 0;
    for (const f of t.r.facts.files) {
      if (t.r.landed.has(f.id)) continue;
      const it = this.deps.manager.get(f.id);
      if (!it) {
        // Finished in an earlier window that closed before writing so (its batch journal knows).
        if (this.deps.manager.finishedInEarlierSession(t.r.facts.batchId)?.has(f.id)) this.landedEarlier(t, f);
        else missing++;
        continue;
      }
      // Restored or resumed here: this window drives the batch now.
      t.seen = true;
      if (it.state === 'done') this.land(t, it);
      else if (it.state === 'failed') failed++;
      else if (it.state === 'cancelled') cancelled++;
      else return; // queued, running, paused or interrupted: the batch is not over
    }
    // None of its files is in this window: another window runs it, or ran it until every file
    // landed and died before the deletes (its lock, taken over in finish(), tells which).
    if (!t.seen && failed + cancelled + missing > 0) return;
    if (failed + cancelled + missing === 0) {
      const run = this.finish(t);
      this.finishing.add(run);
      void run.finally(() => this.finishing.delete(run));
      return;
    }
    const sig = `${failed}/${cancelled}/${missing}`;
    if (sig === t.heldSig) return;
    t.heldSig = sig;
    void t.r.save().catch((err) => this.deps.log?.warn(`${t.r.file} could not be written (${errorMessageOf(err)}).`));
    const deletes = t.r.facts.deletes;
    this.deps.log?.info(`${t.r.facts.label}: ${failed} failed, ${cancelled} cancelled, ${missing} gone; ${deletes.length} delete(s) wait until every file is finished.`);
    if (!quiet) this.deps.onHeld?.(t.r.facts, { failed, cancelled, missing, deletes });
  }

  private async finish(t: Tracked): Promise<void> {
    t.running = true;
    const { facts } = t.r;
    let unlock: (() => void) | undefined;
    try {
      unlock = t.r.tryLock();
      if (!unlock) {
        // A live process runs the rest of this sync (runSync in another window, or its runner);
        // asked again on the save timer, should it die before the end.
        t.running = false;
        if (!t.elsewhere) this.deps.log?.info(`${facts.label}: its files are finished; another window is running the rest.`);
        t.elsewhere = true;
        return;
      }
      await Promise.all(t.landing);
      const now = await SyncRemainder.read(t.r.file);
      if (now.kind !== 'ok') {
        // The window that held it finished it, another sync of the pair replaced it (its own plan
        // has these deletes), or it was set aside.
        this.deps.log?.info(t.elsewhere ? `${facts.label}: another window finished the rest.` : `${facts.label}: its files are finished; a later sync of the same pair replaced the rest.`);
        this.forget(t);
        return;
      }
      const client = await this.deps.clientFor(facts.profileId, facts.pair.bucket);
      const index = await this.indexOf(t);
      const result = emptyResult();
      for (const f of facts.files) {
        result[f.action === 'upload' ? 'upload' : 'download'].done++;
        result.bytesMoved += (f.action === 'upload' ? f.local?.size : f.remote?.size) ?? 0;
      }
      await placeMarkers(client, facts.pair.bucket, facts.markers, result, index);
      const clean = result.upload.failed + result.download.failed === 0;
      if (!clean) result.deletesSkipped = facts.deletes.length;
      else await deleteExtraneous(client, facts.direction, facts.pair.bucket, facts.deletes, result, index, this.deps.deleteLocal);
      await index.save().catch((err) => this.deps.log?.warn(`The sync index could not be written (${errorMessageOf(err)}).`));
      // Every step ran; what failed is reported, and the next sync of the pair plans it again.
      await t.r.remove();
      this.forget(t);
      this.deps.onFinished?.(facts, result);
    } catch (err) {
      t.running = false;
      t.heldSig = 'error';
      this.deps.log?.error(`${facts.label}: the rest of the sync could not run: ${errorMessageOf(err)}`);
      this.deps.onHeld?.(facts, { failed: 0, cancelled: 0, missing: 0, deletes: facts.deletes, error: err });
    } finally {
      unlock?.();
    }
  }

  private async saveAll(): Promise<void> {
    for (const t of [...this.tracked.values()]) if (t.elsewhere) this.evaluate(t, false);
    for (const t of this.tracked.values()) {
      await Promise.all(t.landing).catch(() => undefined);
      await t.r.save().catch((err) => this.deps.log?.warn(`${t.r.file} could not be written (${errorMessageOf(err)}).`));
      const index = await t.index?.catch(() => undefined);
      await index?.save().catch(() => undefined);
    }
  }
}
