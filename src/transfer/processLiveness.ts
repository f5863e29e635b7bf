// Whether a process named in a lock or temp file still runs on this machine. Used to tell a file
// another live process is working with from one a crashed or killed process left behind.
import { readFileSync } from 'node:fs';

/** True when `pid` is a running process on this host (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When the process started, as the kernel counts it (Linux: clock ticks since boot, from
 * /proc/<pid>/stat), so a pid reused by an unrelated process can be told from the original.
 * Undefined where the platform does not expose it or the process is gone.
 */
export function processStartTicks(pid: number | 'self'): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the command name) is in parentheses and may itself hold spaces or ')'; the fields
  // after the last ')' start at field 3, so starttime (field 22) is the 20th of them.
  const rest = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
  const ticks = rest[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}
