// Where checkpoints live and how they reach the disk: atomically (temp file, fsync, rename) and
// one write at a time per checkpoint, later states coalescing into the next write, so parts
// finishing together never race each other's renames.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type DecodeResult } from './checkpointCodec.js';

export const CHECKPOINT_EXTENSION = '.cpt';

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

/** cptFile wins, then checkpointDir, else `<file>.cpt` beside the local file (as the SDKs do). */
export function resolveCheckpointPath(
  opts: { cptFile?: string; checkpointDir?: string; disableCheckpoint?: boolean },
  id: CheckpointIdentity,
): string | undefined {
  if (opts.disableCheckpoint) return undefined;
  if (opts.cptFile) return path.resolve(opts.cptFile);
  if (opts.checkpointDir) return checkpointPathFor({ ...id, checkpointDir: opts.checkpointDir });
  return path.resolve(id.file) + CHECKPOINT_EXTENSION;
}

export type ReadResult = { kind: 'missing' } | DecodeResult;

export async function readCheckpoint(file: string): Promise<ReadResult> {
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
        await writeAtomically(this.file, encodeCheckpoint(cpt));
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.running = undefined;
  }
}

export async function writeAtomically(file: string, text: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    // No fsync here, on purpose: rename is atomic against a killed process, and after a power
    // loss a torn checkpoint fails its SHA-256 and is discarded (start over, never wrong data).
    // Syncing would put a disk flush between every part and the next on a busy disk. Downloaded
    // data itself is flushed before a checkpoint ever names it.
    await fsp.writeFile(tmp, text, { encoding: 'utf8', mode: 0o600, flag: 'w' });
    await fsp.rename(tmp, file);
  } catch (err) {
    await removeQuietly(tmp);
    throw err;
  }
}
