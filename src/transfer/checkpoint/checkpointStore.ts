// Where checkpoints live and how they reach the disk: atomically and durably (temp file, fsync,
// rename, fsync of the folder) and one write at a time per checkpoint, later states coalescing
// into the next write, so parts finishing together never race each other's renames and the
// flushes stay few however many parts finish.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type DecodeResult } from './checkpointCodec.js';
import { SIDECAR_RESERVE, beginTemp, endTemp, sweepStaleTempsNow } from './checkpointFiles.js';
import { fitName } from './fittedName.js';

export const CHECKPOINT_EXTENSION = '.cpt';
export { checkpointLockPath } from './checkpointFiles.js';

export interface CheckpointIdentity {
  direction: 'upload' | 'download';
  endpoint: string;
  bucket: string;
  key: string;
  file: string;
}

/** The checkpoint name used with `checkpointDir`: stable for the same transfer, distinct otherwise. */
export function checkpointPathFor(p: CheckpointIdentity & { checkpointDir: string }): string {
  const file = path.resolve(p.file);
  const digest = createHash('sha256')
    .update(JSON.stringify([p.direction, p.endpoint, p.bucket, p.key, file]), 'utf8')
    .digest('hex')
    .slice(0, 32);
  // A readable hint of the file name helps someone browsing the folder; the digest makes it unique.
  const hint = path.basename(file).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  return path.join(path.resolve(p.checkpointDir), `${p.direction}-${hint}-${digest}${CHECKPOINT_EXTENSION}`);
}

/**
 * `<file>.cpt` beside the local file (as the SDKs do); for a name too long to take that and the
 * suffixes of the checkpoint's lock and temp files, a shortened `.cpt` name unique to the file.
 */
export function defaultCheckpointPath(file: string): string {
  const abs = path.resolve(file);
  return path.join(path.dirname(abs), fitName(path.basename(abs) + CHECKPOINT_EXTENSION, SIDECAR_RESERVE, CHECKPOINT_EXTENSION));
}

/** cptFile wins, then checkpointDir, else the default name beside the local file. */
export function resolveCheckpointPath(
  opts: { cptFile?: string; checkpointDir?: string; disableCheckpoint?: boolean },
  id: CheckpointIdentity,
): string | undefined {
  if (opts.disableCheckpoint) return undefined;
  if (opts.cptFile) return path.resolve(opts.cptFile);
  if (opts.checkpointDir) return checkpointPathFor({ ...id, checkpointDir: opts.checkpointDir });
  return defaultCheckpointPath(id.file);
}

/**
 * Whether `cptPath` is where the checkpoint of the transfer `id` lives without being told: its
 * name in a checkpoint folder (a digest of the identity) or its default name beside the file. A
 * checkpoint found under a name its own content does not lead to was copied, moved or planted.
 */
export function isNamedFor(cptPath: string, id: CheckpointIdentity): boolean {
  const p = path.resolve(cptPath);
  return p === checkpointPathFor({ ...id, checkpointDir: path.dirname(p) }) || p === defaultCheckpointPath(id.file);
}

export type ReadResult = { kind: 'missing' } | DecodeResult;

export async function readCheckpoint(file: string): Promise<ReadResult> {
  await sweepTempsOf(file);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  return decodeCheckpoint(text);
}

export async function removeQuietly(file: string | undefined): Promise<void> {
  if (!file) return;
  await fsp.rm(file, { force: true }).catch(() => undefined);
}

/**
 * Serialises writes of one checkpoint. `save` resolves once the given state, or a later one, is
 * on disk; while a write runs, newer states replace each other and only the newest is written next.
 */
export class CheckpointWriter {
  private pending: Checkpoint | undefined;
  private running: Promise<void> | undefined;
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private closed = false;
  private swept = false;
  private wrote = false;

  constructor(readonly file: string) {}

  save(cpt: Checkpoint): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending = structuredClone(cpt);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.running) this.running = this.drain();
    return done;
  }

  /** Waits for every write started so far. */
  async flush(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Stops further writes (after flushing) so nothing touches the file once the transfer returned. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const cpt = this.pending;
      const waiters = this.waiters;
      this.pending = undefined;
      this.waiters = [];
      try {
        if (!this.swept) {
          this.swept = true;
          await sweepTempsOf(this.file);
        }
        // The folder is flushed once, when the name first appears; later renames replace it, and
        // if a power cut loses one, the older checkpoint left is complete too (it names fewer parts).
        await writeAtomically(this.file, encodeCheckpoint(cpt), { syncFolder: !this.wrote });
        this.wrote = true;
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.running = undefined;
  }
}

/**
 * Replaces `file` with `text` so that a crash or power cut at any moment leaves either the old
 * content or the new, complete: the temp file is flushed before the rename (ext4's delayed
 * allocation could otherwise leave the renamed file empty), and by default the folder after it,
 * so the new name itself survives too.
 */
export async function writeAtomically(file: string, text: string, opts: { syncFolder?: boolean } = {}): Promise<void> {
  const dir = path.dirname(file);
  for (let attempt = 1; ; attempt++) {
    await fsp.mkdir(dir, { recursive: true });
    const tmp = beginTemp(file);
    try {
      const fh = await fsp.open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, file);
      break;
    } catch (err) {
      await removeQuietly(tmp);
      // The temp file vanished before its rename: another process's sweep took it for a leftover,
      // which happens only if this write stalled for minutes. Once more, then give up.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt === 1) continue;
      throw err;
    } finally {
      endTemp(tmp);
    }
  }
  if (opts.syncFolder !== false) await syncFolder(dir);
}

/** Platforms that cannot open or flush a folder (Windows: EISDIR/EPERM, some file systems: EINVAL). */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Flushes a folder's entries (a rename or a new file in it) where the platform can. */
export async function syncFolder(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Housekeeping before a checkpoint is read or first written: leftovers of killed writers go. */
async function sweepTempsOf(file: string): Promise<void> {
  await sweepStaleTempsNow(path.dirname(path.resolve(file)), {
    checkpoints: [path.basename(file)],
    extension: CHECKPOINT_EXTENSION,
  }).catch(() => undefined);
}
