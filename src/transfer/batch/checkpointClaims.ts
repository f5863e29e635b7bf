// One row per checkpoint. The manager computes each transfer's checkpoint path here (and only
// here), a run takes the checkpoint over from an idle row that holds it, and Discard removes only
// checkpoints no other row holds. Two rows sharing a checkpoint would break each other on Discard.
import { promises as fsp } from 'node:fs';
import type { OssClient } from '../../oss/index.js';
import { checkpointPathFor } from '../checkpoint/checkpointStore.js';
import { discardTransfer } from '../engine/checkpointAdmin.js';
import type { Entry } from './transferEntry.js';
import type { TransferRows } from './transferRows.js';
import { alreadyInProgress, errText, identityFields, samePath } from './transferSpecs.js';
import type { TransferLog, TransferSpec } from './transferTypes.js';

export interface CheckpointClaimsDeps {
  checkpointDir: string;
  entries: TransferRows;
  log?: TransferLog;
  /** Drops a row from the manager's list. */
  forget(e: Entry): void;
  clientFor(profileId: string, bucket: string): Promise<OssClient>;
}

export class CheckpointClaims {
  constructor(private readonly deps: CheckpointClaimsDeps) {}

  /** Where this transfer's checkpoint lives: computed here only, journaled, and handed to the engine as cptFile. */
  pathFor(spec: TransferSpec, endpoint: string): string {
    return checkpointPathFor({ ...identityFields(spec), endpoint, checkpointDir: this.deps.checkpointDir });
  }

  /** The row, other than `except`, whose checkpoint is `cptPath`. */
  holderOf(cptPath: string, except?: Entry): Entry | undefined {
    return this.deps.entries.holdersOf(cptPath).find((other) => other !== except);
  }

  /**
   * A run about to use `cptPath` takes it over from an idle row holding it (an interrupted one
   * without a journal record, a paused, failed or cancelled earlier run), which leaves the list. A
   * row that is running or queued with it keeps it, and this run is refused.
   */
  claim(e: Entry, cptPath: string): void {
    const other = this.holderOf(cptPath, e);
    if (!other) return;
    const { spec } = e.item;
    if (other.item.state === 'running' || other.item.state === 'queued') {
      // This row gives up any claim on the checkpoint, so its Discard cannot remove the other's.
      if (e.cptPath && samePath(e.cptPath, cptPath)) this.deps.entries.setCheckpoint(e, undefined);
      if (e.journal) {
        void e.journal.drop(e.item.id).catch(() => undefined);
        e.journal = undefined;
      }
      throw alreadyInProgress(spec, ' in another row of the Transfers view');
    }
    if (other.item.state !== 'done') {
      this.deps.log?.info(`${spec.bucket}/${spec.key}: continuing from the checkpoint of an earlier ${other.item.state} run, whose row is replaced.`);
    }
    this.deps.forget(other);
    void other.journal?.drop(other.item.id).catch(() => undefined);
  }

  /**
   * Before a run: the checkpoint this row will use, claimed for it (see claim), and journaled first,
   * so a window killed right after the engine writes its checkpoint still knows the profile.
   */
  async take(e: Entry, endpoint: string): Promise<string> {
    await fsp.mkdir(this.deps.checkpointDir, { recursive: true });
    e.endpoint = endpoint;
    const cptPath = this.pathFor(e.item.spec, endpoint);
    // Synchronous check and claim: of two rows starting together only one can pass.
    this.claim(e, cptPath);
    this.deps.entries.setCheckpoint(e, cptPath);
    // Journal first: a window killed right after the engine writes its checkpoint still finds it.
    await e.journal?.startedDurably(e.item.id, cptPath, endpoint);
    return cptPath;
  }

  /**
   * Removes a stopped row's checkpoint, temp file and journal record, aborting an upload's multipart
   * upload when its profile's client can be had, then the row itself. Says whether the server was reached.
   */
  async discard(e: Entry): Promise<{ reachedServer: boolean }> {
    const { spec, id } = e.item;
    const { log } = this.deps;
    let client: OssClient | undefined;
    if (spec.profileId) {
      try {
        client = await this.deps.clientFor(spec.profileId, spec.bucket);
      } catch (err) {
        log?.warn(`Discard ${spec.bucket}/${spec.key}: no client for profile ${spec.profileId} (${errText(err)}); only local files are removed.`);
      }
    }
    let cptPath = client ? this.pathFor(spec, client.endpoint) : e.cptPath;
    // A checkpoint another row holds (this one was refused while that one ran) is that row's to discard.
    const held = cptPath ? this.holderOf(cptPath, e) : undefined;
    if (held) {
      log?.info(`Discard ${spec.bucket}/${spec.key}: its checkpoint belongs to another row of the Transfers view and is kept.`);
      cptPath = undefined;
    }
    if (cptPath) {
      await discardTransfer(client, cptPath);
      if (!client && spec.direction === 'upload') {
        log?.warn(
          `Discarded the checkpoint of ${spec.bucket}/${spec.key} without reaching the server; an incomplete multipart upload may remain there (list and abort it from the bucket).`,
        );
      }
    }
    // A checkpoint found under another endpoint than today's client uses is also removed.
    if (e.cptPath && e.cptPath !== cptPath && !this.holderOf(e.cptPath, e)) await discardTransfer(client, e.cptPath);
    await e.journal?.drop(id).catch((err) => log?.warn(`Could not remove the journal record of ${id}: ${errText(err)}`));
    e.journal = undefined;
    this.deps.forget(e);
    return { reachedServer: client !== undefined };
  }
}
