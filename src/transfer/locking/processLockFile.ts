// A lock shared between processes (two VS Code windows, a script and a window): a small file
// created with O_EXCL that names its holder. A holder that no longer runs on this host left it
// behind by crashing, so its lock is taken over; a live one's is respected. Everything here is
// synchronous so that a caller can take the lock before its first await.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { localIoError } from '../localIoError.js';
import { STALE_CLAIM_MS, ownerAlive, thisProcess } from './processLiveness.js';
import { TransferError } from '../transferError.js';

/** What a lock file holds. No secret, no path beyond its own name. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Tells this holder from an earlier one with the same pid (e.g. after a reboot). */
  token: string;
  acquiredAt: string;
  /** The holder's start time as the kernel counts it, where available (see processStartTicks). */
  procStart?: string;
}

/** A lock file still empty or half-written this young is another process creating it right now. */
const CREATING_GRACE_MS = 10_000;
/**
 * A holder refreshes its lock's mtime this often, so that a lock from another host (a shared
 * folder, or this machine under an earlier host name: macOS renames hosts with the network),
 * whose pid cannot be checked from here, counts as stale once not refreshed for STALE_CLAIM_MS
 * (see ownerAlive).
 */
const HEARTBEAT_MS = 60_000;
/** Marks a lock moved aside during a takeover (see takeOver); swept if a kill leaves one behind. */
export const STALE_LOCK_MARKER = '.stale-';

/** Lock files held by this process, with the token each was written with. */
const held = new Map<string, string>();

/**
 * Creates `file` naming this process, or throws AlreadyRunning when a live process holds it.
 * A lock left by a process that no longer runs is taken over. Returns the release function,
 * which removes the file only while it is still this holder's. `subject`, the user's file the
 * transfer moves, is named in errors beside the lock. `heartbeatMs` (tests) overrides how often the
 * lock is refreshed.
 */
export function acquireLockFile(file: string, subject?: string, opts: { heartbeatMs?: number } = {}): () => void {
  file = path.resolve(file);
  // Folders the lock had to create; removed again on release if nothing else was put there, so a
  // run that fails before writing anything (e.g. the object does not exist) leaves no trace.
  const created: { first?: string } = {};
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner = newOwner();
    const fd = createExclusive(file, created, subject);
    if (fd === undefined) {
      const seen = readLock(file);
      if (!seen) continue; // released between our open and our read: try again
      const verdict = judge(file, seen);
      if (verdict.live) throw alreadyRunning(file, verdict.owner, subject);
      takeOver(file, seen.text);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(owner) + '\n');
    } catch (err) {
      closeSync(fd);
      removeFile(file);
      throw localIoError(err, `writing the lock file ${file} of`, subject ?? file);
    }
    closeSync(fd);
    held.set(file, owner.token);
    const heartbeat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // Gone or unwritable: the next heartbeat, or the release, deals with it.
      }
    }, opts.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      if (held.get(file) === owner.token) held.delete(file);
      // Only our own: after a wrong takeover elsewhere the file may name someone else now.
      try {
        if (readLock(file)?.owner?.token === owner.token) removeFile(file);
      } catch {
        // Unreadable now: leave it; a later run judges it by its content.
      }
      if (created.first) removeEmptyFolders(path.dirname(file), created.first);
    };
  }
  throw new TransferError('AlreadyRunning', `the lock file ${file} keeps changing hands; another process is starting the same transfer${subject !== undefined ? ` of ${subject}` : ''}`);
}

/**
 * Removes `file` when it is a lock nobody holds any more (its holder is gone). Returns whether a
 * lock is left there, i.e. whether a live process (or one that cannot be checked) holds it.
 */
export function removeLockIfStale(file: string): boolean {
  file = path.resolve(file);
  const seen = readLock(file);
  if (!seen) return false;
  if (judge(file, seen).live) return true;
  takeOver(file, seen.text);
  return false;
}

function newOwner(): LockOwner {
  return { ...thisProcess(), token: randomBytes(8).toString('hex'), acquiredAt: new Date().toISOString() };
}

/** The new lock's descriptor, or undefined when the file exists already. */
function createExclusive(file: string, created: { first?: string }, subject: string | undefined): number | undefined {
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(file, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return undefined;
      // The checkpoint's folder is created with the first checkpoint, which comes after the lock.
      // Twice: another process's release may remove the folder it created between our two calls.
      if (code === 'ENOENT' && attempt < 2) {
        try {
          created.first ??= mkdirSync(path.dirname(file), { recursive: true });
          continue;
        } catch (mkErr) {
          throw localIoError(mkErr, 'creating the folder of', subject ?? file);
        }
      }
      throw localIoError(err, subject !== undefined ? `creating the lock file ${file} of` : 'creating the lock file', subject ?? file);
    }
  }
}

/** Removes `dir` and its parents up to `top` while they are empty (rmdir refuses otherwise). */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; d.length >= top.length && d.startsWith(top); d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (the checkpoint, the download, another run's lock) or gone
    }
    if (d === top) return;
  }
}

interface SeenLock {
  text: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

function readLock(file: string): SeenLock | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw localIoError(err, 'reading the lock file', file);
  }
  return { text, owner: parseOwner(text), mtimeMs };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner> | null;
    if (!v || typeof v !== 'object') return undefined;
    if (!Number.isSafeInteger(v.pid) || typeof v.hostname !== 'string' || typeof v.token !== 'string') return undefined;
    return v as LockOwner;
  } catch {
    return undefined;
  }
}

function judge(file: string, seen: SeenLock): { live: true; owner: LockOwner | undefined } | { live: false } {
  const o = seen.owner;
  // Unreadable: being written this very moment, or torn by a crash (then it is old).
  if (!o) return Date.now() - seen.mtimeMs < CREATING_GRACE_MS ? { live: true, owner: undefined } : { live: false };
  // Our own pid: live only if this process holds it now (a leftover of an earlier process with
  // the same pid, or of a release that failed, is not).
  if (o.pid === process.pid && o.hostname === hostname()) return held.get(file) === o.token ? { live: true, owner: o } : { live: false };
  // Anyone else: by pid, start time and host, and by the heartbeat where those cannot tell.
  return ownerAlive(o, { ageMs: Date.now() - seen.mtimeMs, heartbeat: true }) ? { live: true, owner: o } : { live: false };
}

/**
 * Removes the lock `file` if it still reads `staleText` (as judged stale a moment ago). Moving it
 * aside first (one atomic rename) and checking what was moved means that, of two processes
 * taking over at once, the one that comes second cannot delete the fresh lock the first has just
 * created: it puts it back.
 */
export function takeOver(file: string, staleText: string): void {
  const aside = `${file}${STALE_LOCK_MARKER}${randomBytes(8).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw localIoError(err, 'taking over the stale lock file', file);
  }
  let moved: string | undefined;
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    moved = undefined;
  }
  if (moved !== staleText) {
    // A fresh lock created after we judged the old one: put it back, unless yet another exists.
    try {
      linkSync(aside, file);
    } catch {
      // EEXIST: a newer lock is in place already; anything else: no hard links on this volume.
    }
  }
  removeFile(aside);
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Gone already, or not ours to remove any more: nothing to do.
  }
}

function alreadyRunning(file: string, owner: LockOwner | undefined, subject: string | undefined): TransferError {
  const transfer = subject !== undefined ? `the transfer of ${subject}` : 'the transfer that uses this checkpoint';
  if (!owner) {
    return new TransferError('AlreadyRunning', `another process is starting ${transfer} (its lock file ${file} is being written)`);
  }
  const here = owner.hostname === hostname();
  const who = here ? `another process (pid ${owner.pid})` : `a process on ${owner.hostname} (pid ${owner.pid})`;
  const since = typeof owner.acquiredAt === 'string' ? ` since ${owner.acquiredAt}` : '';
  return new TransferError('AlreadyRunning', `${who} is running ${transfer}${since} (lock file ${file})`, {
    nextStep: here
      ? `Wait for it to finish (another VS Code window may be running it), or cancel it there first; if no such process runs any more, delete ${file} and try again.`
      : `Wait for it to finish on ${owner.hostname}; if no such process runs there any more, delete ${file} (or wait ${STALE_CLAIM_MS / 60_000} minutes) and try again.`,
  });
}
