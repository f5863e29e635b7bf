// Lists what a folder upload sends: the regular files below a folder, and the folders that would
// leave nothing behind in OSS (no file anywhere below them), which get a folder marker instead.
// Symbolic links to folders are not followed (they can form cycles); links to files are uploaded as
// the file they point to.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface LocalFile {
  /** Relative to the listed folder, with the platform's separator. */
  relativePath: string;
  size: number;
}

export interface LocalFolderScan {
  files: LocalFile[];
  /**
   * Folders with no file anywhere below them, relative to the listed folder ('' for the folder
   * itself). Only the deepest are named: a marker for `a/b/` already makes `a/` appear.
   */
  emptyFolders: string[];
}

export async function scanLocalFolder(root: string, signal?: AbortSignal): Promise<LocalFolderScan> {
  const files: LocalFile[] = [];
  const emptyFolders: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    const before = files.length + emptyFolders.length;
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) files.push({ relativePath: path.relative(root, full), size: (await fs.stat(full)).size });
      else if (e.isSymbolicLink()) {
        const st = await fs.stat(full).catch(() => undefined);
        if (st?.isFile()) files.push({ relativePath: path.relative(root, full), size: st.size });
      }
    }
    // Nothing planned below: the folder would not exist in OSS without its own marker.
    if (files.length + emptyFolders.length === before) emptyFolders.push(path.relative(root, dir));
  };
  await walk(root);
  return { files, emptyFolders };
}

export async function listLocalFiles(root: string, signal?: AbortSignal): Promise<LocalFile[]> {
  return (await scanLocalFolder(root, signal)).files;
}
