// The manager's rows by id, also indexed by identity (direction, profile, bucket, key, local file):
// the rows that would share a checkpoint are found without walking every row, so adding a file to
// a batch of 10,000 costs the same as adding it to a batch of 10.
import type { Entry } from './transferEntry.js';
import { identityOf } from './transferSpecs.js';
import type { TransferSpec } from './transferTypes.js';

export class TransferRows extends Map<string, Entry> {
  private readonly byIdentity = new Map<string, Set<Entry>>();

  override set(id: string, e: Entry): this {
    const old = super.get(id);
    if (old && old !== e) this.unindex(old);
    super.set(id, e);
    const identity = identityOf(e.item.spec);
    let twins = this.byIdentity.get(identity);
    if (!twins) this.byIdentity.set(identity, (twins = new Set()));
    twins.add(e);
    return this;
  }

  override delete(id: string): boolean {
    const e = super.get(id);
    if (e) this.unindex(e);
    return super.delete(id);
  }

  override clear(): void {
    this.byIdentity.clear();
    super.clear();
  }

  /** The rows for the same transfer as `spec`. */
  twinsOf(spec: TransferSpec): Entry[] {
    return [...(this.byIdentity.get(identityOf(spec)) ?? [])];
  }

  private unindex(e: Entry): void {
    const identity = identityOf(e.item.spec);
    const twins = this.byIdentity.get(identity);
    if (twins?.delete(e) && twins.size === 0) this.byIdentity.delete(identity);
  }
}
