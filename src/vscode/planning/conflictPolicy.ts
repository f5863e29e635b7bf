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
  keepBothName: (destination: string, exists: (c: string) => boolean | Promise<boolean>, taken: ReadonlySet<string>) => Promise<string>,
): Promise<ConflictPlan<T>> {
  const conflicts: boolean[] = [];
  for (const item of items) conflicts.push(await exists(destinationOf(item)));
  let remaining = conflicts.filter(Boolean).length;
  let forAll: ConflictChoice | undefined;
  const transfers: Resolved<T>[] = [];
  const skipped: T[] = [];
  const taken = new Set<string>(items.map(destinationOf));
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const destination = destinationOf(item);
    if (!conflicts[i]) {
      transfers.push({ item, destination });
      continue;
    }
    let choice = forAll;
    if (!choice) {
      const answer = await ask({ destination, remaining });
      if (!answer) return { transfers: [], skipped: [...items], cancelled: true };
      choice = answer.choice;
      if (answer.applyToAll) forAll = choice;
    }
    remaining--;
    if (choice === 'skip') skipped.push(item);
    else if (choice === 'overwrite') transfers.push({ item, destination });
    else {
      const renamed = await keepBothName(destination, exists, taken);
      taken.add(renamed);
      transfers.push({ item, destination: renamed });
    }
  }
  return { transfers, skipped, cancelled: false };
}
