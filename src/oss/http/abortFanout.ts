// One 'abort' listener per caller signal, fanned out to every request using it. The engine
// shares one signal across many parallel parts; a listener per request would trip Node's
// MaxListenersExceededWarning at 11 and look like a leak in the extension's log.
const fanouts = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` once when `signal` aborts; the returned function unsubscribes. */
export function subscribeAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let subscribers = fanouts.get(signal);
  if (!subscribers) {
    const set = new Set<() => void>();
    subscribers = set;
    fanouts.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        const pending = [...set];
        set.clear();
        for (const f of pending) f();
      },
      { once: true },
    );
  }
  const set = subscribers;
  set.add(onAbort);
  return () => {
    set.delete(onAbort);
  };
}
