// Plans the object keys of an upload: selected files land directly under the prefix, selected
// folders keep their own name and the relative paths of everything inside them, and their empty
// folders become zero-byte `name/` marker objects (the OSS console's convention) so the structure
// arrives too.
import * as nodePath from 'node:path';
import { checkKey, localPathToKey, normalizePrefix, type PathPlatform, currentPlatform } from '../../transfer/paths/keyPath.js';
import { t } from '../presentation/translate.js';

export interface UploadSource {
  /** Absolute path the user selected. */
  path: string;
  isDirectory: boolean;
  /** For a directory: its files, as paths relative to it (any separator of the platform). */
  files?: string[];
  /** For a directory: folders with no file below them, relative to it ('' for the directory itself). */
  emptyFolders?: string[];
}

export interface PlannedUpload {
  file: string;
  key: string;
}

export interface PlannedFolder {
  /** The local folder. */
  folder: string;
  /** The marker object's key, ending in '/'. */
  key: string;
}

export interface UploadPlan {
  uploads: PlannedUpload[];
  /** Zero-byte marker objects for empty folders; none where an upload already makes the folder appear. */
  folders: PlannedFolder[];
  /** Files that would get the same key as an earlier one (e.g. the same name selected twice). */
  duplicates: PlannedUpload[];
}

export function planUploadKeys(prefix: string, sources: readonly UploadSource[], platform: PathPlatform = currentPlatform()): UploadPlan {
  const p = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const base = normalizePrefix(prefix);
  const uploads: PlannedUpload[] = [];
  const duplicates: PlannedUpload[] = [];
  const seen = new Set<string>();
  const candidates: PlannedFolder[] = [];
  const add = (file: string, key: string): void => {
    if (seen.has(key)) duplicates.push({ file, key });
    else {
      seen.add(key);
      uploads.push({ file, key });
    }
  };
  for (const src of sources) {
    const name = p.basename(src.path);
    if (!name) throw new Error(t('Cannot upload "{0}": it has no name (a drive or file-system root).', src.path));
    if (!src.isDirectory) {
      add(src.path, localPathToKey(base, name, platform));
      continue;
    }
    const dirPrefix = normalizePrefix(base + name);
    for (const rel of src.files ?? []) add(p.join(src.path, rel), localPathToKey(dirPrefix, rel, platform));
    for (const rel of src.emptyFolders ?? []) {
      const key = rel === '' ? dirPrefix : `${localPathToKey(dirPrefix, rel, platform)}/`;
      candidates.push({ folder: p.join(src.path, rel), key: checkKey(key) });
    }
  }
  // A folder shows in OSS as soon as any key lies below it: a marker is only needed when nothing
  // else planned (say, a same-named folder selected twice, one of them empty) lies below it.
  const shown = new Set<string>();
  for (const key of seen) addFolders(shown, key);
  const folders: PlannedFolder[] = [];
  for (const c of candidates) {
    if (shown.has(c.key)) continue;
    addFolders(shown, c.key);
    folders.push(c);
  }
  return { uploads, folders, duplicates };
}

/** Adds every folder `key` makes appear: 'a/b/c.txt' -> 'a/', 'a/b/'; 'a/b/' -> 'a/', 'a/b/'. */
function addFolders(into: Set<string>, key: string): void {
  for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) into.add(key.slice(0, i + 1));
}
