// How the bench turns rounds into figures: medians, not bests (on a shared 2-core VM single runs
// swing by a third, and a best-of favours whichever variant happened to get a quiet moment), and
// ratios taken per round (the two variants ran minutes apart at most, under similar load), then
// their median with the range.

export const fmt = (n: number, d = 1): string => n.toFixed(d);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median and range of the per-round ratios f(a_i) / f(b_i), as "1.23x [1.10-1.31]". */
export function roundRatio<T>(as: readonly T[], bs: readonly T[], f: (x: T) => number): { median: number; text: string } {
  const n = Math.min(as.length, bs.length);
  const r = Array.from({ length: n }, (_, i) => f(as[i]!) / f(bs[i]!));
  const m = median(r);
  return { median: m, text: `${fmt(m, 2)}x [${fmt(Math.min(...r), 2)}-${fmt(Math.max(...r), 2)}]` };
}
