// Parses how long a presigned URL stays valid: "900", "15m", "2h", "1d", "1h30m". No vscode import.

/** Longest validity OSS accepts for a V4 presigned URL: 7 days. */
export const MAX_EXPIRY_SECONDS = 604800;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds, or throws an error whose message fits an input box. */
export function parseExpiry(input: string): number {
  const t = input.trim().toLowerCase().replace(/\s+/g, '');
  if (t === '') throw new Error('Enter how long the URL stays valid, e.g. 15m, 2h or 7d.');
  let seconds: number;
  if (/^\d+$/.test(t)) seconds = Number(t);
  else {
    const re = /(\d+)([smhdw])/gy;
    seconds = 0;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(t)) !== null) {
      seconds += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
      consumed = re.lastIndex;
    }
    if (consumed !== t.length || consumed === 0) throw new Error(`"${input.trim()}" is not a duration; use seconds or units s, m, h, d, w (e.g. 1h30m).`);
  }
  if (seconds < 1) throw new Error('The URL must stay valid for at least 1 second.');
  if (seconds > MAX_EXPIRY_SECONDS) throw new Error('OSS allows at most 7 days (604800 seconds).');
  return seconds;
}

/** 90 -> "1 minute 30 seconds"; 604800 -> "7 days". */
export function describeSeconds(total: number): string {
  const parts: string[] = [];
  let rest = total;
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ') || '0 seconds';
}
