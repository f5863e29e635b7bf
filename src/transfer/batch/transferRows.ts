// The manager's rows by id, also indexed by identity (direction, profile, bucket, key, local file)
// and by checkpoint path: the rows that would share a checkpoint are found without walking every
// row, so adding or starting a file in a batch of 10,000 costs the same as in a batch of 10.
import * as path from 'node:path';
import type { Entry } from './transferEntry.js';
import { identityOf } from './transferSpecs.js';
import type { TransferSpec } from './transferTypes.js';

export class TransferRows extends Map<string, Entry> {
  private readonly byIdentity = new Map<string, Set<Entry>>();
  private readonly byCheckpoint = new Map<string, Set<Entry>>();

  override set(id: string, e: Entry): this {
    const old = super.get(id);
    if (old && old !== e) this.unindex(old);
    super.set(id, e);
    addTo(this.byIdentity, identityOf(e.item.spec), e);
    if (e.cptPath) addTo(this.byCheckpoint, path.resolve(e.cptPath), e);
    return this;
  }

  /** Sets (or clears) a row's checkpoint path; the only way it changes while the row is listed. */
  setCheckpoint(e: Entry, cptPath: string | undefined): void {
    if (e.cptPath) removeFrom(this.byCheckpoint, path.resolve(e.cptPath), e);
    e.cptPath = cptPath;
    if (cptPath && super.get(e.item.id) === e) addTo(this.byCheckpoint, path.resolve(cptPath), e);
  }

  /** The listed rows whose checkpoint is `cptPath`. */
  holdersOf(cptPath: string): Entry[] {
    return [...(this.byCheckpoint.get(path.resolve(cptPath)) ?? [])];
  }

  override delete(id: string): boolean {
    const e = super.get(id);
    if (e) this.unindex(e);
    return super.delete(id);
  }

  override clear(): void {
    this.byIdentity.clear();
    this.byCheckpoint.clear();
    super.clear();
  }

  /** The rows for the same transfer as `spec`. */
  twinsOf(spec: TransferSpec): Entry[] {
    return [...(this.byIdentity.get(identityOf(spec)) ?? [])];
  }

  private unindex(e: Entry): void {
    removeFrom(this.byIdentity, identityOf(e.item.spec), e);
    if (e.cptPath) removeFrom(this.byCheckpoint, path.resolve(e.cptPath), e);
  }
}

function addTo(index: Map<string, Set<Entry>>, key: string, e: Entry): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(e);
}

function removeFrom(index: Map<string, Set<Entry>>, key: string, e: Entry): void {
  const set = index.get(key);
  if (set?.delete(e) && set.size === 0) index.delete(key);
}
