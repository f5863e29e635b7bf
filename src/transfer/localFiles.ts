// Lists the regular files below a folder for a folder upload. Symbolic links to folders are not
// followed (they can form cycles); links to files are uploaded as the file they point to.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface LocalFile {
  /** Relative to the listed folder, with the platform's separator. */
  relativePath: string;
  size: number;
}

export async function listLocalFiles(root: string, signal?: AbortSignal): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push({ relativePath: path.relative(root, full), size: (await fs.stat(full)).size });
      else if (e.isSymbolicLink()) {
        const st = await fs.stat(full).catch(() => undefined);
        if (st?.isFile()) out.push({ relativePath: path.relative(root, full), size: st.size });
      }
    }
  };
  await walk(root);
  return out;
}
