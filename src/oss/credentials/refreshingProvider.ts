// The part every temporary-credential kind shares (RAM role ARN, ECS RAM role, OIDC role,
// credentials URI): keep the credentials fetched last, renew them ahead of their expiry with one
// fetch however many requests ask at once, keep using them while they still work if a renewal
// fails, and fetch again when OSS rejects them, once: credentials fetched after a rejection that
// are rejected too mean nothing newer exists, and the request fails at once instead of looping.
import { OssError } from '../ossError.js';
import { resolvedCredentials, type CredentialKind, type CredentialsProvider, type ResolvedCredentials } from './credentialsProvider.js';

export interface RefreshTiming {
  /** Renew at most this long before expiry (the Alibaba Cloud SDKs use 180 s). */
  maxMarginMs: number;
  /** ...and at most this share of the credentials' lifetime, so short-lived tokens are used for most of it. */
  marginShare: number;
  /**
   * After a failed renewal, wait this long before trying again: while the credentials at hand still
   * work they are used meanwhile; with none, the failure itself is the answer meanwhile.
   */
  retryAfterFailureMs: number;
}

export const DEFAULT_REFRESH_TIMING: RefreshTiming = { maxMarginMs: 180_000, marginShare: 1 / 3, retryAfterFailureMs: 10_000 };

/** What a provider tells its owner's log: never a secret, only who, what and until when. */
export type CredentialsEvent =
  | { type: 'fetched'; kind: CredentialKind; accessKeyId: string; expiration?: Date; afterRejection: boolean }
  | { type: 'renewFailed'; kind: CredentialKind; error: unknown; stillValidUntil?: Date };

export interface RefreshingOptions {
  now?: () => number;
  timing?: Partial<RefreshTiming>;
  onEvent?: (e: CredentialsEvent) => void;
}

function sameCredentials(a: ResolvedCredentials, b: ResolvedCredentials): boolean {
  return a.accessKeyId === b.accessKeyId && a.accessKeySecret === b.accessKeySecret && a.securityToken === b.securityToken;
}

/** Resolves with `p`, or rejects as soon as `signal` aborts (the shared fetch goes on for the others). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined, operation: string): Promise<T> {
  if (!signal) return p;
  const aborted = (): OssError => new OssError({ operation, code: 'RequestAborted', message: 'the request was aborted', status: 0, retryable: false, cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export abstract class RefreshingCredentialsProvider implements CredentialsProvider {
  // #private: util.inspect and JSON never show what a provider holds.
  #cached: ResolvedCredentials | undefined;
  #refreshAt = 0;
  #nextTryAt = 0;
  #fetching: Promise<ResolvedCredentials> | undefined;
  /** The last failed fetch while nothing valid was at hand: answered again until `until`. */
  #failure: { error: unknown; until: number } | undefined;
  protected readonly now: () => number;
  private readonly timing: RefreshTiming;
  private readonly onEvent: ((e: CredentialsEvent) => void) | undefined;

  constructor(
    readonly kind: CredentialKind,
    /** The operation name failures of this provider carry ('AssumeRole', 'EcsRamRole', …). */
    protected readonly operation: string,
    opts: RefreshingOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.timing = { ...DEFAULT_REFRESH_TIMING, ...(opts.timing ?? {}) };
    this.onEvent = opts.onEvent;
  }

  /** One fetch of new credentials (with their expiration); failures are OssErrors that are not retryable. */
  protected abstract fetchCredentials(): Promise<ResolvedCredentials>;

  async getCredentials(signal?: AbortSignal): Promise<ResolvedCredentials> {
    const c = this.#cached;
    const t = this.now();
    if (c && t < this.#refreshAt) return c;
    if (c && this.valid(c, t)) {
      // Due for renewal but still working: a failed renewal must not stop requests it need not stop.
      if (t < this.#nextTryAt) return c;
      try {
        return await abortable(this.renew(false), signal, this.operation);
      } catch (e) {
        if (e instanceof OssError && e.code === 'RequestAborted') throw e;
        if (!this.valid(c, this.now())) throw e;
        this.#nextTryAt = this.now() + this.timing.retryAfterFailureMs;
        this.emit({ type: 'renewFailed', kind: this.kind, error: e, ...(c.expiration ? { stillValidUntil: c.expiration } : {}) });
        return c;
      }
    }
    // Nothing valid at hand: a fetch that just failed is not repeated for every waiting request.
    if (this.#failure && t < this.#failure.until) throw this.#failure.error;
    return abortable(this.renew(false), signal, this.operation);
  }

  current(): ResolvedCredentials | undefined {
    const c = this.#cached;
    return c && this.valid(c, this.now()) ? c : undefined;
  }

  async renewAfterRejection(used: ResolvedCredentials, signal?: AbortSignal): Promise<ResolvedCredentials | undefined> {
    if (this.#fetching) {
      const r = await abortable(this.#fetching, signal, this.operation);
      return sameCredentials(r, used) ? undefined : r;
    }
    const c = this.#cached;
    // Someone renewed them since `used` was handed out: those are worth a try.
    if (c && c !== used && !sameCredentials(c, used) && this.valid(c, this.now())) return c;
    if (used.renewedAfterRejection) return undefined;
    const fresh = await abortable(this.renew(true), signal, this.operation);
    return sameCredentials(fresh, used) ? undefined : fresh;
  }

  async close(): Promise<void> {}

  private valid(c: ResolvedCredentials, t: number): boolean {
    return c.expiration === undefined || t < c.expiration.getTime();
  }

  /** One fetch at a time, shared by every caller. */
  private renew(afterRejection: boolean): Promise<ResolvedCredentials> {
    this.#fetching ??= this.fetchCredentials()
      .then((got) => {
        const t = this.now();
        if (got.expiration && got.expiration.getTime() <= t) {
          throw new OssError({
            operation: this.operation,
            code: 'CredentialsExpired',
            message: `the credentials handed out expired already (at ${got.expiration.toISOString()}); check this computer's clock`,
            status: 0,
            retryable: false,
            details: { credentialKind: this.kind },
          });
        }
        const creds = afterRejection ? resolvedCredentials({ ...got, renewedAfterRejection: true }) : got;
        this.#cached = creds;
        this.#nextTryAt = 0;
        this.#failure = undefined;
        this.#refreshAt = this.refreshTime(creds, t);
        this.emit({ type: 'fetched', kind: this.kind, accessKeyId: creds.accessKeyId, afterRejection, ...(creds.expiration ? { expiration: creds.expiration } : {}) });
        return creds;
      })
      .catch((e: unknown) => {
        const c = this.#cached;
        if (!c || !this.valid(c, this.now())) this.#failure = { error: e, until: this.now() + this.timing.retryAfterFailureMs };
        throw e;
      })
      .finally(() => {
        this.#fetching = undefined;
      });
    return this.#fetching;
  }

  private refreshTime(c: ResolvedCredentials, t: number): number {
    if (!c.expiration) return Number.POSITIVE_INFINITY;
    const exp = c.expiration.getTime();
    const margin = Math.min(this.timing.maxMarginMs, (exp - t) * this.timing.marginShare);
    return exp - margin;
  }

  private emit(e: CredentialsEvent): void {
    try {
      this.onEvent?.(e);
    } catch {
      // A failing logger must not fail the credentials.
    }
  }
}
