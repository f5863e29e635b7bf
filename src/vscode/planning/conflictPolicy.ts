// Decides what happens to each transfer whose destination already exists: the user answers
// Overwrite / Skip / Keep both per item, or once for the rest of the batch ("apply to all").

export type ConflictChoice = 'overwrite' | 'skip' | 'keepBoth';

export interface ConflictAnswer {
  choice: ConflictChoice;
  applyToAll: boolean;
}

export interface ConflictQuestion {
  /** The destination that exists (local path or key). */
  destination: string;
  /** How many conflicts remain after this one (including it), so the UI can offer "apply to all". */
  remaining: number;
  /** True while the batch is still being listed: more conflicts may follow in later pages. */
  more?: boolean;
}

/** `ask` returns undefined when the user dismisses the question: the whole batch is cancelled. */
export type AskConflict = (q: ConflictQuestion) => Promise<ConflictAnswer | undefined>;

export interface Resolved<T> {
  item: T;
  /** Where the item goes: the original destination, or a "keep both" name. */
  destination: string;
}

export interface ConflictPlan<T> {
  transfers: Resolved<T>[];
  skipped: T[];
  /** True when the user dismissed a question; `transfers` is then empty. */
  cancelled: boolean;
}

export type KeepBothName = (destination: string, exists: (c: string) => boolean | Promise<boolean>, taken: ReadonlySet<string>) => Promise<string>;

/**
 * Walks the items in order. Items whose destination is free go through unchanged; for the others
 * the user is asked (at most once when they pick "apply to all"). Names chosen for "keep both" are
 * reserved so two items never get the same new name.
 */
export async function resolveConflicts<T>(
  items: readonly T[],
  destinationOf: (item: T) => string,
  exists: (destination: string) => boolean | Promise<boolean>,
  ask: AskConflict,
  keepBothName: KeepBothName,
): Promise<ConflictPlan<T>> {
  return new ConflictSession(destinationOf, exists, ask, keepBothName).resolve(items, false);
}

/**
 * The same questions for a batch that arrives in pages (a folder still being listed or walked):
 * each page is resolved as it comes, and what the user chose "for all" holds for every later
 * page too. Names chosen for "keep both" stay reserved for the whole batch: a later item planned
 * for such a name counts as a conflict even before the renamed file exists.
 */
export class ConflictSession<T> {
  private forAll: ConflictChoice | undefined;
  private readonly renamed = new Set<string>();
  private cancelled = false;

  constructor(
    private readonly destinationOf: (item: T) => string,
    private readonly exists: (destination: string) => boolean | Promise<boolean>,
    private readonly ask: AskConflict,
    private readonly keepBothName: KeepBothName,
  ) {}

  /** The user's "for all" answer so far, if any. */
  get choiceForAll(): ConflictChoice | undefined {
    return this.forAll;
  }

  /** `more`: later pages may bring more conflicts, so "apply to all" reaches beyond this page. */
  async resolve(items: readonly T[], more: boolean): Promise<ConflictPlan<T>> {
    if (this.cancelled) return { transfers: [], skipped: [...items], cancelled: true };
    const taken = new Set<string>(this.renamed);
    for (const item of items) taken.add(this.destinationOf(item));
    const existsNow = (d: string): boolean | Promise<boolean> => this.renamed.has(d) || this.exists(d);
    const conflicts: boolean[] = [];
    for (const item of items) conflicts.push(await existsNow(this.destinationOf(item)));
    let remaining = conflicts.filter(Boolean).length;
    const transfers: Resolved<T>[] = [];
    const skipped: T[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      const destination = this.destinationOf(item);
      if (!conflicts[i]) {
        transfers.push({ item, destination });
        continue;
      }
      let choice = this.forAll;
      if (!choice) {
        const answer = await this.ask(more ? { destination, remaining, more } : { destination, remaining });
        if (!answer) {
          this.cancelled = true;
          return { transfers: [], skipped: [...items], cancelled: true };
        }
        choice = answer.choice;
        if (answer.applyToAll) this.forAll = choice;
      }
      remaining--;
      if (choice === 'skip') skipped.push(item);
      else if (choice === 'overwrite') transfers.push({ item, destination });
      else {
        const name = await this.keepBothName(destination, existsNow, taken);
        taken.add(name);
        this.renamed.add(name);
        transfers.push({ item, destination: name });
      }
    }
    return { transfers, skipped, cancelled: false };
  }
}
