// Runs `fn` over `items` with `n` workers, as a pool of that size does: a worker takes the next item
// as soon as its previous one is done.
export async function runPool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
