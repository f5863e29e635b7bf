// Plain-text wording of sizes, speeds and times for the notification, status bar and tree.
// No vscode import, so it is unit tested directly.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> "1.5 KB" (binary multiples, as file managers show them). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)} B`;
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 75 -> "1m 15s", 3700 -> "1h 2m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
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
