// Whether a process named in a lock, journal record or temp file still runs. Used to tell a file
// another live process is working with from one a crashed or killed process left behind. One
// judgement (ownerAlive) for the lock and the journal: pid, start time (a pid reused by an
// unrelated process), zombies, and claims from another host.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a claim (a lock, a journal record). Old records may lack the host and start time. */
export interface ProcessOwner {
  pid: number;
  hostname?: string;
  /** The holder's start time as the kernel counts it, where available (see processStartTicks). */
  procStart?: string;
}

/**
 * A claim whose holder cannot be checked from here (another host's, or a pid whose start time
 * cannot be compared) counts as abandoned once it has not been refreshed for this long.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

/** This process, as a claim names it. */
// This process's start time never changes: read /proc once, not for every journal record and lock.
let ownStart: { value: string | undefined } | undefined;

export function thisProcess(): ProcessOwner & { hostname: string } {
  const me: ProcessOwner & { hostname: string } = { pid: process.pid, hostname: hostname() };
  ownStart ??= { value: processStartTicks('self') };
  if (ownStart.value !== undefined) me.procStart = ownStart.value;
  return me;
}

/**
 * Whether the process that made a claim still runs. `ageMs`: how long ago the claim was last
 * written or refreshed; `heartbeat`: whether its holder refreshes it regularly (a lock does; a
 * journal record does not). The caller handles its own process (only it knows what it holds).
 */
export function ownerAlive(owner: ProcessOwner, claim: { ageMs: number; heartbeat: boolean }): boolean {
  const fresh = claim.ageMs < STALE_CLAIM_MS;
  // Another machine's process (a shared folder, or this machine under an earlier host name: macOS
  // renames hosts with the network) cannot be checked from here: trusted while its claim is fresh.
  if (owner.hostname !== undefined && owner.hostname !== hostname()) return fresh;
  if (!processAlive(owner.pid)) return false;
  // Alive, but maybe an unrelated process that got the dead holder's pid.
  if (owner.procStart !== undefined) {
    const now = processStartTicks(owner.pid);
    if (now !== undefined) return now === owner.procStart;
  }
  // No start time to compare (Windows, macOS, or a record from before they were kept). A holder
  // that refreshes its claim is judged by that too, or a reused pid would block until that
  // unrelated process exits; a claim nobody refreshes has only its pid to go by.
  return claim.heartbeat ? fresh : true;
}

/** True when `pid` is a running process on this host (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) still answers the signal but runs no more.
  return procStat(pid)?.[0] !== 'Z';
}

/**
 * When the process started, as the kernel counts it (Linux: clock ticks since boot, from
 * /proc/<pid>/stat), so a pid reused by an unrelated process can be told from the original.
 * Undefined where the platform does not expose it or the process is gone.
 */
export function processStartTicks(pid: number | 'self'): string | undefined {
  // starttime is field 22 of /proc/<pid>/stat.
  const ticks = procStat(pid)?.[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}

/** Fields 3 and on of /proc/<pid>/stat (field 3 is the state), or undefined without /proc. */
function procStat(pid: number | 'self'): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the command name) is in parentheses and may itself hold spaces or ')'.
  return stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
}
