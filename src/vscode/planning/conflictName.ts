// "Keep both" naming: report.pdf -> report (1).pdf -> report (2).pdf, the way file managers do it.
// Works on the last segment of a local path or an object key; the folder part is left alone.
import { t } from '../presentation/translate.js';

// Extensions people read as one unit; "a.tar.gz" becomes "a (1).tar.gz", not "a.tar (1).gz".
const COMPOUND_EXTENSIONS = ['.tar.gz', '.tar.bz2', '.tar.xz', '.tar.zst', '.tar.lz4'];

export interface SplitName {
  stem: string;
  /** The number of an existing " (n)" suffix, if any. */
  counter?: number;
  ext: string;
}

/** Splits "name (3).tar.gz" into stem "name", counter 3, ext ".tar.gz". */
export function splitName(name: string): SplitName {
  let ext = '';
  const lower = name.toLowerCase();
  const compound = COMPOUND_EXTENSIONS.find((e) => lower.endsWith(e) && lower.length > e.length);
  if (compound) ext = name.slice(name.length - compound.length);
  else {
    const dot = name.lastIndexOf('.');
    // A leading dot is a hidden file (".env"), not an extension.
    if (dot > 0) ext = name.slice(dot);
  }
  let stem = name.slice(0, name.length - ext.length);
  const m = / \((\d{1,9})\)$/.exec(stem);
  if (m) {
    stem = stem.slice(0, m.index);
    return { stem, counter: Number(m[1]), ext };
  }
  return { stem, ext };
}

/** The n-th "keep both" variant of a file name. */
export function numberedName(name: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`A copy number must be a positive integer, got ${n}.`);
  const { stem, ext } = splitName(name);
  return `${stem} (${n})${ext}`;
}

/** Splits at the last '/' or the platform separator; '/' keys and both path styles are handled. */
function splitDir(pathOrKey: string): [dir: string, name: string] {
  const i = Math.max(pathOrKey.lastIndexOf('/'), pathOrKey.lastIndexOf('\\'));
  return [pathOrKey.slice(0, i + 1), pathOrKey.slice(i + 1)];
}

/**
 * The first "name (n).ext" next to `pathOrKey` for which `exists` says false. `taken` lets a batch
 * reserve names it has already chosen but not yet written.
 */
export async function keepBothName(
  pathOrKey: string,
  exists: (candidate: string) => boolean | Promise<boolean>,
  taken: ReadonlySet<string> = new Set(),
  maxTries = 10_000,
): Promise<string> {
  const [dir, name] = splitDir(pathOrKey);
  if (name === '') throw new Error(t('"{0}" has no file name to number.', pathOrKey));
  const start = (splitName(name).counter ?? 0) + 1;
  for (let n = start; n < start + maxTries; n++) {
    const candidate = dir + numberedName(name, n);
    if (taken.has(candidate)) continue;
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(t('No free name found for "{0}" after {1} tries.', pathOrKey, maxTries));
}
