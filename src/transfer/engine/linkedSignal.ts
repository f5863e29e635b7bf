// A child AbortSignal per request. Parts share one stop signal for the whole transfer; giving
// each request its own child, unlinked as soon as the request is over, means a later cancel only
// reaches requests still running, and listeners do not pile up on the shared signal.

export interface LinkedSignal {
  signal: AbortSignal;
  /** Unlinks from the parent; the child then never fires. */
  dispose(): void;
}

export function linkedSignal(parent: AbortSignal | undefined): LinkedSignal {
  const child = new AbortController();
  if (!parent) return { signal: child.signal, dispose: () => undefined };
  if (parent.aborted) {
    child.abort(parent.reason);
    return { signal: child.signal, dispose: () => undefined };
  }
  const onAbort = (): void => child.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { signal: child.signal, dispose: () => parent.removeEventListener('abort', onAbort) };
}

/** Runs one request with its own child signal, unlinked when the request settles. */
export async function callLinked<T>(parent: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const link = linkedSignal(parent);
  try {
    return await fn(link.signal);
  } finally {
    link.dispose();
  }
}
