// Plans a download page by page while the folders are still being listed, with planDownloads'
// rules: every key goes through keyToLocalPath (refused if it could escape), a key two selections
// share is planned once, and keys that would collide on disk are refused rather than overwriting
// each other. Memory stays with the page, not the folder:
// - Collisions between selections are only possible when their own names meet on disk (two
//   selected folders named `a`; on Windows any names differing only in case), so only then are
//   the planned paths remembered. One listing alone cannot map two keys to one file on POSIX.
// - "A file where a folder must go" is refused the way planDownloads does it, from the listing's
//   order: OSS lists keys in UTF-8 byte order, so every `a/…` key comes before any key from
//   `a0` on. A file `a` is held back until the listing has passed `a0` (or ended), and refused
//   if a key below `a/` arrived meanwhile. A server that lists out of order loses only this
//   courtesy: the later key then fails on disk (a file or folder is in its way), nothing is
//   overwritten and nothing lands outside the chosen folder.
import * as nodePath from 'node:path';
import { KeyPathError, currentPlatform, keyToLocalPath, type PathPlatform } from '../../transfer/paths/keyPath.js';
import type { DownloadPlan, PlannedDownload, RemoteObject } from './downloadPlan.js';
import { keyProblemText } from '../presentation/keyProblems.js';
import { t } from '../presentation/translate.js';

export interface PagedSelection {
  /** Cut from the keys (the selection's parent folder). */
  basePrefix: string;
  /** What the selection stands for: a folder (every key below `prefix`) or one object. */
  covers: { prefix: string } | { key: string };
  /** Its objects a page at a time, in the listing's order. */
  pages: AsyncIterable<readonly RemoteObject[]> | Iterable<readonly RemoteObject[]>;
}

interface Candidate extends PlannedDownload {
  folder: boolean;
}

interface SelectionState {
  tracked: boolean;
  /** Files not yet handed out, by normalised path: a key below them may still come. */
  pending: Map<string, PlannedDownload>;
  lastKey?: string;
}

export interface PagePlan extends DownloadPlan {
  /** Whether later pages may follow (a folder still being listed, or more selections). */
  more: boolean;
}

/** The plan of each page as it is listed; empty pages are left out. */
export async function* planDownloadPages(
  root: string,
  selections: readonly PagedSelection[],
  platform: PathPlatform = currentPlatform(),
): AsyncGenerator<PagePlan, void, undefined> {
  const planner = new DownloadPagePlanner(root, selections, platform);
  for (let i = 0; i < selections.length; i++) {
    const folder = 'prefix' in selections[i]!.covers;
    const later = i < selections.length - 1;
    for await (const page of selections[i]!.pages) {
      const plan = planner.page(i, page);
      if (plan.downloads.length + plan.folders.length + plan.refused.length) yield { ...plan, more: folder || later };
    }
    const rest = planner.finish(i);
    if (rest.downloads.length) yield { ...rest, more: later };
  }
}

export class DownloadPagePlanner {
  private readonly p: nodePath.PlatformPath;
  private readonly absRoot: string;
  private readonly states: SelectionState[];
  // Only for tracked selections: normalised path -> key.
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly selections: readonly Pick<PagedSelection, 'basePrefix' | 'covers'>[],
    private readonly platform: PathPlatform = currentPlatform(),
  ) {
    this.p = platform === 'win32' ? nodePath.win32 : nodePath.posix;
    this.absRoot = this.p.resolve(root);
    const names = selections.map((s) => this.norm(topName(s)));
    this.states = names.map((n) => ({
      tracked: platform === 'win32' || names.filter((m) => m === n).length > 1,
      pending: new Map(),
    }));
  }

  /** Plans one page of selection `i`; files may be held back to a later page or to finish(i). */
  page(i: number, objects: readonly RemoteObject[]): DownloadPlan {
    const sel = this.selections[i]!;
    const st = this.states[i]!;
    const out: DownloadPlan = { downloads: [], folders: [], refused: [] };
    const candidates: Candidate[] = [];
    for (const o of objects) {
      if (o.key === st.lastKey || this.coveredBefore(i, o.key)) continue;
      st.lastKey = o.key;
      try {
        const path = keyToLocalPath(this.root, o.key, sel.basePrefix, this.platform);
        candidates.push({ key: o.key, size: o.size, file: path, folder: o.key.endsWith('/') });
      } catch (e) {
        if (!(e instanceof KeyPathError)) throw e;
        out.refused.push({ key: o.key, reason: e.problem ? keyProblemText(e.problem) : e.reason });
      }
    }
    const refused = new Set<Candidate>();
    // Files wait first, so a key of this very page that needs their name as a folder refuses them.
    for (const c of candidates) {
      if (c.folder) continue;
      const n = this.norm(c.file);
      const other = st.tracked ? (this.files.get(n) ?? st.pending.get(n)?.key) : undefined;
      const needs = st.tracked ? this.dirs.get(n) : undefined;
      if (other !== undefined) out.refused.push({ key: c.key, reason: t('it would be saved to the same file as "{0}"', other) });
      else if (needs !== undefined) out.refused.push({ key: c.key, reason: t('a folder of the same name is needed for "{0}"', needs) });
      else {
        st.pending.set(n, { key: c.key, size: c.size, file: c.file });
        continue;
      }
      refused.add(c);
    }
    // Folders first, so a file named like a folder is the one refused, whatever the page's order.
    for (const c of [...candidates.filter((c) => c.folder), ...candidates.filter((c) => !c.folder)]) {
      if (refused.has(c)) continue;
      const blocked = this.needFoldersOf(st, c.folder ? this.p.join(c.file, 'x') : c.file, c.key, out);
      if (blocked !== undefined) {
        out.refused.push({ key: c.key, reason: t('it needs a folder where "{0}" is saved as a file', blocked) });
        st.pending.delete(this.norm(c.file));
      } else if (c.folder) out.folders.push(c.file);
    }
    const last = objects.at(-1)?.key;
    if (last !== undefined) this.release(st, out, (key) => utf8Compare(last, `${key}0`) >= 0);
    return out;
  }

  /** The selection's listing has ended: every file still held back goes. */
  finish(i: number): DownloadPlan {
    const out: DownloadPlan = { downloads: [], folders: [], refused: [] };
    this.release(this.states[i]!, out, () => true);
    return out;
  }

  private release(st: SelectionState, out: DownloadPlan, ready: (key: string) => boolean): void {
    for (const [n, d] of st.pending) {
      if (!ready(d.key)) continue;
      st.pending.delete(n);
      if (st.tracked) this.files.set(n, d.key);
      out.downloads.push(d);
    }
  }

  /**
   * Records the folders `path` needs below the root; a held-back file in the way is refused.
   * Returns the key of a file already handed out where a folder is needed (tracked selections).
   */
  private needFoldersOf(st: SelectionState, path: string, key: string, out: DownloadPlan): string | undefined {
    if (!st.tracked && st.pending.size === 0) return undefined;
    const needed: string[] = [];
    for (let d = this.p.dirname(path); d !== this.absRoot && d.length > this.absRoot.length; d = this.p.dirname(d)) {
      const n = this.norm(d);
      const held = st.pending.get(n);
      if (held) {
        st.pending.delete(n);
        out.refused.push({ key: held.key, reason: t('a folder of the same name is needed for "{0}"', key) });
      }
      if (!st.tracked) continue;
      const file = this.files.get(n);
      if (file !== undefined) return file;
      needed.push(n);
    }
    for (const n of needed) if (!this.dirs.has(n)) this.dirs.set(n, key);
    return undefined;
  }

  /** A key an earlier selection already stands for is planned there, once. */
  private coveredBefore(i: number, key: string): boolean {
    for (let j = 0; j < i; j++) {
      const c = this.selections[j]!.covers;
      if ('prefix' in c ? key.startsWith(c.prefix) : key === c.key) return true;
    }
    return false;
  }

  private norm(x: string): string {
    return this.platform === 'win32' ? x.toLowerCase() : x;
  }
}

/** The name a selection takes in the chosen folder: its first segment below basePrefix. */
function topName(s: Pick<PagedSelection, 'basePrefix' | 'covers'>): string {
  const key = 'prefix' in s.covers ? s.covers.prefix : s.covers.key;
  const rel = key.startsWith(s.basePrefix) ? key.slice(s.basePrefix.length) : key;
  return rel.split('/')[0] ?? rel;
}

/** OSS's listing order: UTF-8 bytes (JS string order differs past the Basic Multilingual Plane). */
function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
