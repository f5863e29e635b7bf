// Parses how long a presigned URL stays valid: "900", "15m", "2h", "1d", "1h30m". No vscode import.
import { t } from '../../presentation/translate.js';

/** Longest validity OSS accepts for a V4 presigned URL: 7 days. */
export const MAX_EXPIRY_SECONDS = 604800;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds, or throws an error whose message fits an input box. */
export function parseExpiry(input: string): number {
  const s = input.trim().toLowerCase().replace(/\s+/g, '');
  if (s === '') throw new Error(t('Enter how long the URL stays valid, e.g. 15m, 2h or 7d.'));
  let seconds: number;
  if (/^\d+$/.test(s)) seconds = Number(s);
  else {
    const re = /(\d+)([smhdw])/gy;
    seconds = 0;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(s)) !== null) {
      seconds += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
      consumed = re.lastIndex;
    }
    if (consumed !== s.length || consumed === 0) throw new Error(t('"{0}" is not a duration; use seconds or units s, m, h, d, w (e.g. 1h30m).', input.trim()));
  }
  if (seconds < 1) throw new Error(t('The URL must stay valid for at least 1 second.'));
  if (seconds > MAX_EXPIRY_SECONDS) throw new Error(t('OSS allows at most 7 days (604800 seconds).'));
  return seconds;
}

/** 90 -> "1 minute 30 seconds"; 604800 -> "7 days". */
export function describeSeconds(total: number): string {
  const units: Array<[number, (n: number) => string]> = [
    [86400, (n) => (n === 1 ? t('1 day') : t('{0} days', n))],
    [3600, (n) => (n === 1 ? t('1 hour') : t('{0} hours', n))],
    [60, (n) => (n === 1 ? t('1 minute') : t('{0} minutes', n))],
    [1, (n) => (n === 1 ? t('1 second') : t('{0} seconds', n))],
  ];
  const parts: string[] = [];
  let rest = total;
  for (const [size, words] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(words(n));
  }
  return parts.join(' ') || t('{0} seconds', 0);
}
