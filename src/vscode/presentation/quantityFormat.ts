// The one wording of sizes, speeds, times and percentages, for the tree, the notification, the
// status bar and the Transfers view. No vscode import, so it is unit tested directly.
import { t } from './translate.js';

// Sizes are counted in 1024s and labelled so (KiB, MiB, GiB): "256 MB" beside a demo object the
// README calls 256 MiB read as two different sizes.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 0 B, 999 B, 1.0 KiB, 12.3 MiB, 512 GiB (1024-based, three significant digits). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${Math.round(n)} B`;
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  // 1023.96 KiB would print as "1024 KiB": carry to the next unit instead.
  if (v >= 999.95 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 100 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** 1000 -> "1,000": counts at folder scale are read at a glance. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 75 -> "1m 15s", 3700 -> "1h 2m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.ceil(seconds);
  if (s < 60) return t('{0}s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return t('{0}m {1}s', m, s % 60);
  const h = Math.floor(m / 60);
  return t('{0}h {1}m', h, m % 60);
}

/** Whole percent for display; floors so 99.6% never reads as "100%". */
export function formatPercent(done: number, total: number): string {
  if (total <= 0) return done > 0 ? '100%' : '0%';
  return `${Math.floor(Math.min(1, Math.max(0, done / total)) * 100)}%`;
}

/** The last path segment of a key or a file path ("a/b/c.txt" -> "c.txt", "a/b/" -> "b/"). */
export function displayName(keyOrPath: string): string {
  const trimmed = keyOrPath.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const base = trimmed.slice(cut + 1);
  if (!base) return keyOrPath;
  return trimmed.length < keyOrPath.length ? `${base}/` : base;
}
