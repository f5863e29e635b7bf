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

export type LocalEntry = ({ kind: 'file' } & LocalFile) | { kind: 'emptyFolder'; relativePath: string };

/**
 * The same as scanLocalFolder, an entry at a time while the walk goes on, so an upload can start
 * with the first files of a large folder. It holds the entries of the folders on the current path
 * only, never the whole tree; an empty folder is named once its walk is over (a subfolder always
 * yields something: its files or itself).
 */
export async function* walkLocalFolder(root: string, signal?: AbortSignal): AsyncGenerator<LocalEntry, void, undefined> {
  async function* walk(dir: string): AsyncGenerator<LocalEntry, void, undefined> {
    signal?.throwIfAborted();
    let any = false;
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        any = true;
        yield* walk(full);
      } else if (e.isFile()) {
        any = true;
        yield { kind: 'file', relativePath: path.relative(root, full), size: (await fs.stat(full)).size };
      } else if (e.isSymbolicLink()) {
        const st = await fs.stat(full).catch(() => undefined);
        if (st?.isFile()) {
          any = true;
          yield { kind: 'file', relativePath: path.relative(root, full), size: st.size };
        }
      }
    }
    // Nothing planned below: the folder would not exist in OSS without its own marker.
    if (!any) yield { kind: 'emptyFolder', relativePath: path.relative(root, dir) };
  }
  yield* walk(root);
}

export async function scanLocalFolder(root: string, signal?: AbortSignal): Promise<LocalFolderScan> {
  const files: LocalFile[] = [];
  const emptyFolders: string[] = [];
  for await (const e of walkLocalFolder(root, signal)) {
    if (e.kind === 'file') files.push({ relativePath: e.relativePath, size: e.size });
    else emptyFolders.push(e.relativePath);
  }
  return { files, emptyFolders };
}

export async function listLocalFiles(root: string, signal?: AbortSignal): Promise<LocalFile[]> {
  return (await scanLocalFolder(root, signal)).files;
}
