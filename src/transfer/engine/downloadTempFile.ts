// The file a download writes into before it is renamed over the destination:
// `<dest>.osstmp-<8 hex>` beside it, or for a name too long to take the suffix, a shortened
// stand-in for `<dest>` (see fittedName.ts). Only a file of exactly this form, for this
// destination, is ever deleted on a checkpoint's word. Also the check every download makes of the
// destination before it fetches anything.
import { randomBytes } from 'node:crypto';
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { fitName } from '../checkpoint/fittedName.js';
import { localIoError } from '../localIoError.js';
import { TransferError } from '../transferError.js';

export const TEMP_MARKER = '.osstmp-';
const RANDOM_HEX = 8;

/** What every temp file name of the download into `dest` begins with. */
function tempPrefix(dest: string): string {
  return fitName(path.basename(dest), TEMP_MARKER.length + RANDOM_HEX) + TEMP_MARKER;
}

/** A fresh temp file path for a download into `dest` (absolute). */
export function newTempFile(dest: string): string {
  return path.join(path.dirname(dest), tempPrefix(dest) + randomBytes(RANDOM_HEX / 2).toString('hex'));
}

/** Whether `tempFile` is a temp file of the download into `dest` (both absolute): same folder, our form. */
export function isOurTempFile(tempFile: string | undefined, dest: string): tempFile is string {
  if (!tempFile || !path.isAbsolute(tempFile) || path.dirname(tempFile) !== path.dirname(dest)) return false;
  const base = path.basename(tempFile);
  const prefix = tempPrefix(dest);
  return base.startsWith(prefix) && new RegExp(`^[0-9a-f]{${RANDOM_HEX}}$`).test(base.slice(prefix.length));
}

/** A destination may be missing or a file; a folder is refused before anything is fetched. */
export async function assertDestinationUsable(dest: string): Promise<void> {
  let st: Stats | undefined;
  try {
    st = await fsp.stat(dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw localIoError(err, 'checking', dest);
  }
  if (st?.isDirectory()) throw new TransferError('InvalidArgument', `${dest} is a folder; give a file path to download to`);
}
