// A download into a chosen folder must not write through a symbolic link (or junction) that sits
// inside it: the key `docs/a.txt` would otherwise land wherever an existing `docs` link points,
// outside the folder the user chose. keyToLocalPath rules out `..` and absolute keys by name; this
// checks what is actually on disk. Links ABOVE the chosen folder are the user's own choice and fine.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DownloadPlan, RefusedKey } from './downloadPlan.js';
import { t } from '../presentation/translate.js';

/**
 * Moves every planned download and folder whose path crosses an existing link (or a file where a
 * folder is needed) below `root` into `refused`. Folders that do not exist yet are fine: they
 * will be created as real folders.
 */
export async function refuseLinkedFolders(root: string, plan: DownloadPlan): Promise<DownloadPlan> {
  const absRoot = path.resolve(root);
  // One lstat per folder, however many files share it.
  const verdicts = new Map<string, Promise<string | undefined>>();
  const check = (dir: string): Promise<string | undefined> => {
    let v = verdicts.get(dir);
    if (!v) {
      v = inspect(dir, absRoot, check);
      verdicts.set(dir, v);
    }
    return v;
  };
  const refused: RefusedKey[] = [...plan.refused];
  const downloads = [];
  for (const d of plan.downloads) {
    const problem = await check(path.dirname(d.file));
    if (problem) refused.push({ key: d.key, reason: problem });
    else downloads.push(d);
  }
  const folders = [];
  for (const f of plan.folders) {
    const problem = await check(f);
    if (problem) refused.push({ key: folderKeyHint(f, absRoot), reason: problem });
    else folders.push(f);
  }
  return { downloads, folders, refused };
}

/** Why writing below `dir` is unsafe, or undefined when it is a real folder (or not there yet). */
async function inspect(dir: string, absRoot: string, parentVerdict: (d: string) => Promise<string | undefined>): Promise<string | undefined> {
  if (dir === absRoot || !isBelow(dir, absRoot)) return undefined;
  const above = await parentVerdict(path.dirname(dir));
  if (above) return above;
  let st;
  try {
    st = await fsp.lstat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const shown = path.relative(absRoot, dir);
  if (st.isSymbolicLink()) return t('"{0}" in the chosen folder is a link to somewhere else; nothing is written through it', shown);
  if (!st.isDirectory()) return t('"{0}" in the chosen folder is a file, not a folder', shown);
  return undefined;
}

function isBelow(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Folder entries carry no key in the plan; name them by their path below the root. */
function folderKeyHint(folder: string, absRoot: string): string {
  return `${path.relative(absRoot, folder).split(path.sep).join('/')}/`;
}
