// Plans the object keys of an upload: selected files land directly under the prefix, selected
// folders keep their own name and the relative paths of everything inside them.
import * as nodePath from 'node:path';
import { localPathToKey, normalizePrefix, type PathPlatform, currentPlatform } from './keyPath.js';

export interface UploadSource {
  /** Absolute path the user selected. */
  path: string;
  isDirectory: boolean;
  /** For a directory: its files, as paths relative to it (any separator of the platform). */
  files?: string[];
}

export interface PlannedUpload {
  file: string;
  key: string;
}

export interface UploadPlan {
  uploads: PlannedUpload[];
  /** Files that would get the same key as an earlier one (e.g. the same name selected twice). */
  duplicates: PlannedUpload[];
}

export function planUploadKeys(prefix: string, sources: readonly UploadSource[], platform: PathPlatform = currentPlatform()): UploadPlan {
  const p = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const base = normalizePrefix(prefix);
  const uploads: PlannedUpload[] = [];
  const duplicates: PlannedUpload[] = [];
  const seen = new Set<string>();
  const add = (file: string, key: string): void => {
    if (seen.has(key)) duplicates.push({ file, key });
    else {
      seen.add(key);
      uploads.push({ file, key });
    }
  };
  for (const src of sources) {
    const name = p.basename(src.path);
    if (!name) throw new Error(`Cannot upload "${src.path}": it has no name (a drive or file-system root).`);
    if (!src.isDirectory) {
      add(src.path, localPathToKey(base, name, platform));
      continue;
    }
    const dirPrefix = normalizePrefix(base + name);
    for (const rel of src.files ?? []) add(p.join(src.path, rel), localPathToKey(dirPrefix, rel, platform));
  }
  return { uploads, duplicates };
}
