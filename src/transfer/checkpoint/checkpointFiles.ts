// The files beside a checkpoint: its lock (`<checkpoint>.lock`, see lockFile.ts) and the temp
// files it is written through (`<checkpoint>.tmp-<pid>-<hex>`, renamed over it once complete):
// their names, the temp files this process is writing right now, and the removal of those a
// killed process left behind. A temp file is removed only when nobody can
// still be about to rename it: not one of ours in flight, old enough, and its writer (the pid in
// its name) no longer running here. Another live process's temp file is left alone.
// A checkpoint name too long to take these suffixes within 255 bytes lends them a shortened stem
// (see fittedName.ts) instead of itself: `<stem>.lock`, `<stem>.tmp-…`.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../locking/processLiveness.js';
import { STALE_LOCK_MARKER } from '../locking/processLockFile.js';
import { fitName } from './fittedName.js';

const TEMP_MARKER = '.tmp-';
export const LOCK_SUFFIX = '.lock';
/**
 * The most any name beside a checkpoint adds to it: a lock moved aside by a takeover,
 * `.lock.stale-` and 16 hex digits (a temp file's `.tmp-<pid up to 10 digits>-<8 hex>` is shorter).
 */
export const SIDECAR_RESERVE = LOCK_SUFFIX.length + STALE_LOCK_MARKER.length + 16;
/** Extensions up to this long survive shortening, so a sweep by extension still finds the sidecars. */
const KEPT_EXTENSION_BYTES = 16;
/** Younger temp files are never removed: their writer may be on another host sharing the folder, or slow. */
export const STALE_TEMP_AGE_MS = 5 * 60_000;
/** Older than this, a temp file is abandoned even if a process with its pid runs (the pid was reused). */
export const ABANDONED_TEMP_AGE_MS = 24 * 3600_000;
/** A folder is swept on a read or first write at most this often per process (a sweep lists the folder). */
const SWEEP_INTERVAL_MS = 60_000;

const inFlight = new Set<string>();
const lastSweep = new Map<string, number>();

/**
 * What the names beside the checkpoint named `name` begin with: `name` itself, or when a suffix
 * would make them too long, a shortened stand-in that keeps its extension.
 */
export function sidecarStem(name: string): string {
  const ext = path.extname(name);
  return fitName(name, SIDECAR_RESERVE, Buffer.byteLength(ext, 'utf8') <= KEPT_EXTENSION_BYTES ? ext : '');
}

/** The lock file that keeps other processes from running the transfer of `checkpoint` at once. */
export function checkpointLockPath(checkpoint: string): string {
  return path.join(path.dirname(checkpoint), sidecarStem(path.basename(checkpoint)) + LOCK_SUFFIX);
}

/** A fresh temp name for writing `file`, registered as in flight until `endTemp`. */
export function beginTemp(file: string): string {
  const stem = sidecarStem(path.basename(file));
  const tmp = path.join(path.dirname(file), `${stem}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
  inFlight.add(tmp);
  return tmp;
}

export function endTemp(tmp: string): void {
  inFlight.delete(tmp);
}

/** For a temp file name: the checkpoint name (or stem) it belongs to and its writer's pid (absent in old names). */
export function parseTempName(name: string): { checkpoint: string; pid?: number } | undefined {
  const m = /^(.+)\.tmp-(?:(\d{1,10})-)?[0-9a-f]{8}$/.exec(name);
  if (!m) return undefined;
  return m[2] === undefined ? { checkpoint: m[1]! } : { checkpoint: m[1]!, pid: Number(m[2]) };
}

export interface SweepScope {
  /** Names in the folder when the caller has just listed it (saves a second listing). */
  names?: string[];
  /** Temp files of these checkpoint names are swept, whatever their extension. */
  checkpoints?: string[];
  /** Also temp files of any checkpoint whose name ends so (e.g. `.cpt`). */
  extension?: string;
}

/** Whether sidecars named after `stem` (a checkpoint name or its shortened stand-in) are in `scope`. */
function stemInScope(stem: string, scope: SweepScope): boolean {
  if (scope.extension !== undefined && stem.endsWith(scope.extension)) return true;
  return scope.checkpoints?.some((c) => sidecarStem(c) === stem) ?? false;
}

/**
 * Removes the stale temp files in `dir` (see the header) and returns their paths. Never throws:
 * a sweep is housekeeping, and a file that vanished or cannot be removed is simply skipped.
 */
export async function sweepStaleTemps(dir: string, scope: SweepScope, now = Date.now()): Promise<string[]> {
  dir = path.resolve(dir);
  lastSweep.set(dir, now);
  let names = scope.names;
  if (!names) {
    try {
      names = await fsp.readdir(dir);
    } catch {
      return [];
    }
  }
  const removed: string[] = [];
  for (const name of names) {
    const full = path.join(dir, name);
    const rule = staleRule(name, scope);
    if (!rule || inFlight.has(full)) continue;
    let mtimeMs: number;
    try {
      mtimeMs = (await fsp.stat(full)).mtimeMs;
    } catch {
      continue;
    }
    if (!rule(now - mtimeMs)) continue;
    try {
      await fsp.unlink(full);
      removed.push(full);
    } catch {
      // Renamed or removed meanwhile, or not removable: leave it.
    }
  }
  return removed;
}

/** As sweepStaleTemps, unless this folder was swept less than a minute ago by this process. */
export async function sweepStaleTempsNow(dir: string, scope: SweepScope, now = Date.now()): Promise<void> {
  const last = lastSweep.get(path.resolve(dir));
  if (last !== undefined && now - last >= 0 && now - last < SWEEP_INTERVAL_MS) return;
  await sweepStaleTemps(dir, scope, now);
}

/** For a name in scope, a test of its age (ms) saying whether it is stale; undefined when out of scope. */
function staleRule(name: string, scope: SweepScope): ((age: number) => boolean) | undefined {
  const t = parseTempName(name);
  if (t) {
    if (!stemInScope(t.checkpoint, scope)) return undefined;
    const pid = t.pid;
    return (age) => {
      if (age < STALE_TEMP_AGE_MS) return false;
      // Ours but not in flight, an old-style name without a pid, or a writer that is gone.
      if (pid === undefined || pid === process.pid || !processAlive(pid)) return true;
      return age >= ABANDONED_TEMP_AGE_MS;
    };
  }
  // A stale lock moved aside by a takeover that was killed before it removed it.
  const at = name.lastIndexOf(STALE_LOCK_MARKER);
  if (at > 0 && /^[0-9a-f]{16}$/.test(name.slice(at + STALE_LOCK_MARKER.length))) {
    const lockName = name.slice(0, at);
    const stem = lockName.endsWith(LOCK_SUFFIX) ? lockName.slice(0, -LOCK_SUFFIX.length) : undefined;
    return stem !== undefined && stemInScope(stem, scope) ? (age) => age >= STALE_TEMP_AGE_MS : undefined;
  }
  return undefined;
}
