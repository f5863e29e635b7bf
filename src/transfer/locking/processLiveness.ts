// Whether a process named in a lock or temp file still runs on this machine. Used to tell a file
// another live process is working with from one a crashed or killed process left behind.
import { readFileSync } from 'node:fs';

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
