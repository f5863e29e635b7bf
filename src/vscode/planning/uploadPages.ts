// Plans an upload page by page while the folders are still being walked, with planUploadKeys'
// rules: selected files land directly under the prefix, selected folders keep their name and
// relative paths, a key two sources would share goes to the first one only (the rest are
// reported as duplicates), empty folders become `name/` markers unless something else planned
// makes them appear. Only sources whose own names meet (the same name selected from two places)
// can share keys, so only their keys are remembered; markers are handed out at the end, once
// every key that could make them unnecessary is known.
import * as nodePath from 'node:path';
import { checkKey, currentPlatform, localPathToKey, normalizePrefix, type PathPlatform } from '../../transfer/paths/keyPath.js';
import { walkLocalFolder, type LocalEntry } from '../../transfer/paths/localFiles.js';
import type { PlannedFolder, PlannedUpload } from './uploadPlan.js';
import { t } from '../presentation/translate.js';

export interface UploadSourcePath {
  /** Absolute path the user selected. */
  path: string;
  isDirectory: boolean;
  /** For a file: its size. */
  size?: number;
}

export interface UploadPage {
  uploads: (PlannedUpload & { size: number })[];
  duplicates: PlannedUpload[];
  /** Only in the last page. */
  folders: PlannedFolder[];
  /** Whether later pages may follow. */
  more: boolean;
}

export interface UploadPagesOptions {
  /** Files per page (default 500). */
  pageSize?: number;
  signal?: AbortSignal;
  platform?: PathPlatform;
  /** The folder walk (tests can slow it down or count it). */
  walk?: (root: string, signal?: AbortSignal) => AsyncIterable<LocalEntry>;
}

export async function* planUploadPages(prefix: string, sources: readonly UploadSourcePath[], opts: UploadPagesOptions = {}): AsyncGenerator<UploadPage, void, undefined> {
  const platform = opts.platform ?? currentPlatform();
  const p = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const pageSize = opts.pageSize ?? 500;
  const walk = opts.walk ?? walkLocalFolder;
  const base = normalizePrefix(prefix);
  const names = sources.map((s) => {
    const name = p.basename(s.path);
    if (!name) throw new Error(t('Cannot upload "{0}": it has no name (a drive or file-system root).', s.path));
    return name;
  });
  const shared = new Set(names.filter((n, i) => names.indexOf(n) !== i));
  const seen = new Set<string>(); // keys of sources with a shared name
  const shown = new Set<string>(); // folders those keys make appear
  const markers: PlannedFolder[] = [];
  let page: UploadPage = { uploads: [], duplicates: [], folders: [], more: true };

  const add = (file: string, key: string, size: number, tracked: boolean): void => {
    if (tracked) {
      if (seen.has(key)) {
        page.duplicates.push({ file, key });
        return;
      }
      seen.add(key);
      addFolders(shown, key);
    }
    page.uploads.push({ file, key, size });
  };
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i]!;
    const tracked = shared.has(names[i]!);
    if (!src.isDirectory) add(src.path, localPathToKey(base, names[i]!, platform), src.size ?? 0, tracked);
    else {
      const dirPrefix = normalizePrefix(base + names[i]!);
      for await (const e of walk(src.path, opts.signal)) {
        if (e.kind === 'file') add(p.join(src.path, e.relativePath), localPathToKey(dirPrefix, e.relativePath, platform), e.size, tracked);
        else {
          const key = e.relativePath === '' ? dirPrefix : `${localPathToKey(dirPrefix, e.relativePath, platform)}/`;
          markers.push({ folder: p.join(src.path, e.relativePath), key: checkKey(key) });
        }
        if (page.uploads.length >= pageSize) {
          yield page;
          page = { uploads: [], duplicates: [], folders: [], more: true };
        }
      }
    }
  }
  // A folder shows in OSS as soon as any key lies below it: a marker is only needed when nothing
  // else planned (say, a same-named folder selected twice, one of them empty) lies below it.
  for (const m of markers) {
    if (shown.has(m.key)) continue;
    addFolders(shown, m.key);
    page.folders.push(m);
  }
  page.more = false;
  yield page;
}

/** Adds every folder `key` makes appear: 'a/b/c.txt' -> 'a/', 'a/b/'; 'a/b/' -> 'a/', 'a/b/'. */
function addFolders(into: Set<string>, key: string): void {
  for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) into.add(key.slice(0, i + 1));
}
