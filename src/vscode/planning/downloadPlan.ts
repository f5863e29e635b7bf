// Plans a download into a chosen folder: each key becomes a path below it (keyToLocalPath refuses
// anything that could escape), folder markers become folders, and keys that would collide on disk
// (same name, a file where a folder must go, or names differing only in case on Windows) are
// refused rather than silently overwriting each other.
import * as nodePath from 'node:path';
import { KeyPathError, currentPlatform, keyToLocalPath, type PathPlatform } from '../../transfer/paths/keyPath.js';
import { keyProblemText } from '../presentation/keyProblems.js';
import { t } from '../presentation/translate.js';

export interface RemoteObject {
  key: string;
  size: number;
}

/** Objects chosen together; `basePrefix` is cut from their keys (the selection's parent folder). */
export interface DownloadSelection {
  basePrefix: string;
  objects: readonly RemoteObject[];
}

export interface PlannedDownload {
  key: string;
  size: number;
  file: string;
}

export interface RefusedKey {
  key: string;
  reason: string;
}

export interface DownloadPlan {
  downloads: PlannedDownload[];
  /** Folders to create (from 'folder/' marker objects), even when empty. */
  folders: string[];
  refused: RefusedKey[];
}

export function planDownloads(root: string, selections: readonly DownloadSelection[], platform: PathPlatform = currentPlatform()): DownloadPlan {
  const p = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const norm = (x: string): string => (platform === 'win32' ? x.toLowerCase() : x);
  const absRoot = p.resolve(root);
  const downloads: PlannedDownload[] = [];
  const folders: string[] = [];
  const refused: RefusedKey[] = [];
  const files = new Map<string, string>(); // normalised path -> key
  const dirs = new Map<string, string>(); // normalised folder path -> key that needs it
  const seenKeys = new Set<string>();

  const addDirsOf = (path: string, key: string): void => {
    for (let d = p.dirname(path); d !== absRoot && d.length > absRoot.length; d = p.dirname(d)) {
      if (!dirs.has(norm(d))) dirs.set(norm(d), key);
    }
  };

  const candidates: { key: string; size: number; path: string; folder: boolean }[] = [];
  for (const sel of selections) {
    for (const o of sel.objects) {
      if (seenKeys.has(o.key)) continue;
      seenKeys.add(o.key);
      try {
        const path = keyToLocalPath(root, o.key, sel.basePrefix, platform);
        candidates.push({ key: o.key, size: o.size, path, folder: o.key.endsWith('/') });
      } catch (e) {
        if (!(e instanceof KeyPathError)) throw e;
        refused.push({ key: o.key, reason: e.problem ? keyProblemText(e.problem) : e.reason });
      }
    }
  }
  // Folders first, so a file named like a folder is the one refused, whatever the listing order.
  for (const c of candidates) if (c.folder) addDirsOf(p.join(c.path, 'x'), c.key);
  for (const c of candidates) if (!c.folder) addDirsOf(c.path, c.key);
  for (const c of candidates) {
    if (c.folder) {
      folders.push(c.path);
      continue;
    }
    const n = norm(c.path);
    const other = files.get(n);
    if (other !== undefined) {
      refused.push({ key: c.key, reason: t('it would be saved to the same file as "{0}"', other) });
      continue;
    }
    const needsFolder = dirs.get(n);
    if (needsFolder !== undefined) {
      refused.push({ key: c.key, reason: t('a folder of the same name is needed for "{0}"', needsFolder) });
      continue;
    }
    files.set(n, c.key);
    downloads.push({ key: c.key, size: c.size, file: c.path });
  }
  return { downloads, folders, refused };
}
