// Keeps the next page of a paged source asked for while the current one is being used: a listing
// through a distant link then costs one round trip in total, not one per page on top of the work,
// and the first page can be on its way while the caller does something else (sync walks the local
// folder meanwhile). Holds at most one page beyond the one handed out.
export async function* prefetchPages<T>(source: AsyncIterator<T>): AsyncGenerator<T, void, undefined> {
  let next = source.next();
  // A rejection is handled where it is awaited; until then it must not count as unhandled.
  next.catch(() => undefined);
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = source.next();
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await source.return?.();
  }
}
