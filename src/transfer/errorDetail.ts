// The one-line technical detail of any error (name, message, OSS code, HTTP status, request id and
// the messages of its causes), for logs. The plain-words advice the UI shows is built on top of it
// in src/vscode/presentation/errorAdvice.ts.

/** Walks `cause` chains (undici wraps socket errors in "fetch failed" / TypeError). */
export function errorCauses(err: unknown): object[] {
  const out: object[] = [];
  let cur: unknown = err;
  while (cur && typeof cur === 'object' && out.length < 8 && !out.includes(cur)) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

export function errorMessageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** A non-empty field of the given type on an error object (OssError and TransferError carry code/status/requestId). */
export function errorField<T>(err: object, name: string, type: 'string' | 'number'): T | undefined {
  const v = (err as Record<string, unknown>)[name];
  return typeof v === type && v !== '' ? (v as T) : undefined;
}

/** "Name: message (code X, HTTP 403, request id R); caused by: …" for the log; String(err) for a non-object. */
export function errorDetail(err: unknown): string {
  const top = errorCauses(err)[0];
  if (!top) return String(err);
  const code = errorField<string>(top, 'code', 'string');
  const status = errorField<number>(top, 'status', 'number');
  const requestId = errorField<string>(top, 'requestId', 'string');
  const name = err instanceof Error ? err.name : typeof err;
  const parts = [code && `code ${code}`, status !== undefined && `HTTP ${status}`, requestId && `request id ${requestId}`].filter(Boolean);
  const causeMsgs = errorCauses(err)
    .slice(1)
    .map((c) => errorMessageOf(c))
    .filter((m) => m !== '');
  const head = `${name}: ${errorMessageOf(err)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  return causeMsgs.length ? `${head}; caused by: ${causeMsgs.join('; ')}` : head;
}

