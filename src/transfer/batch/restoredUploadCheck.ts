// An upload restored after a crash that may have reached the server (sent in one request, or its
// checkpoint already gone): a HEAD + CRC-64 against the local file decides, not a blind re-upload.
import type { OssClient } from '../../oss/index.js';
import type { Entry } from './transferEntry.js';
import { errText } from './transferSpecs.js';
import type { TransferEngine, TransferItem, TransferLog } from './transferTypes.js';

/**
 * Whether the object already is the local file, so the item is done without sending it: false, or
 * what the check learned of the object (its ETag and CRC-64, when the engine says). Asked once per
 * restored item; an engine without the check, or a check that fails, means "send it again".
 */
export async function alreadyUploaded(e: Entry, client: OssClient, engine: TransferEngine, signal: AbortSignal, log?: TransferLog): Promise<false | { outcome?: TransferItem['outcome'] }> {
  e.maybeOnServer = undefined;
  const { spec } = e.item;
  if (spec.direction !== 'upload' || !engine.remoteMatchesLocal) return false;
  try {
    const same = await engine.remoteMatchesLocal(client, { bucket: spec.bucket, key: spec.key, file: spec.file, signal });
    if (!same) return false;
    log?.info(`${spec.bucket}/${spec.key}: already on the server as the local file (CRC-64); not sent again.`);
    return same === true ? {} : { outcome: { etag: same.etag, crc64: same.crc64 } };
  } catch (err) {
    if (signal.aborted) throw err;
    log?.info(`${spec.bucket}/${spec.key}: could not check whether the object is already there (${errText(err)}); sending it again.`);
    return false;
  }
}
