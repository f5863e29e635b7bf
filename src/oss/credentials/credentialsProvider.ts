// Where a client's credentials come from. The client asks its provider before it signs each
// request, so credentials that change (an STS token renewed before it expires) reach every request
// signed after the change, transfers in flight included. Static keys (an AccessKey, or an STS token
// someone pasted) are the simplest provider; the refreshing kinds live beside this file.
import { OssError } from '../ossError.js';
import type { CredentialKind, Credentials, CredentialsProvider, ResolvedCredentials } from '../types.js';

export type { CredentialKind, CredentialsProvider, ResolvedCredentials };

export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['accessKey', 'stsToken', 'ramRoleArn', 'ecsRamRole', 'oidcRoleArn', 'credentialsUri'];

export function isCredentialsProvider(v: unknown): v is CredentialsProvider {
  const p = v as Partial<CredentialsProvider> | null;
  return !!p && typeof p === 'object' && typeof p.getCredentials === 'function' && typeof p.current === 'function' && typeof p.renewAfterRejection === 'function';
}

/** Makes the frozen object a provider hands out; empty optional fields are dropped. */
export function resolvedCredentials(c: Credentials & { expiration?: Date; renewedAfterRejection?: boolean }): ResolvedCredentials {
  const out: { -readonly [K in keyof ResolvedCredentials]: ResolvedCredentials[K] } = { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret };
  if (c.securityToken) out.securityToken = c.securityToken;
  if (c.expiration) out.expiration = c.expiration;
  if (c.renewedAfterRejection) out.renewedAfterRejection = true;
  return Object.freeze(out);
}

/** The operation name credential failures carry, so the UI can tell them from OSS requests. */
export const STATIC_CREDENTIALS_OPERATION = 'Credentials';

/**
 * An AccessKey, or an STS token given as is. It never changes; with a known expiration it fails
 * before sending once that has passed, instead of letting every request be refused.
 */
export class StaticCredentialsProvider implements CredentialsProvider {
  readonly kind: CredentialKind;
  readonly #creds: ResolvedCredentials;

  constructor(
    creds: Credentials & { expiration?: Date },
    private readonly now: () => number = Date.now,
  ) {
    if (typeof creds?.accessKeyId !== 'string' || creds.accessKeyId === '') throw new TypeError('accessKeyId is required');
    if (typeof creds.accessKeySecret !== 'string' || creds.accessKeySecret === '') throw new TypeError('accessKeySecret is required');
    this.#creds = resolvedCredentials(creds);
    this.kind = creds.securityToken ? 'stsToken' : 'accessKey';
  }

  async getCredentials(): Promise<ResolvedCredentials> {
    const exp = this.#creds.expiration;
    if (exp && this.now() >= exp.getTime()) {
      throw new OssError({
        operation: STATIC_CREDENTIALS_OPERATION,
        code: 'SecurityTokenExpired',
        message: `the STS token expired at ${exp.toISOString()}`,
        status: 0,
        retryable: false,
        details: { credentialKind: this.kind },
      });
    }
    return this.#creds;
  }

  current(): ResolvedCredentials | undefined {
    const exp = this.#creds.expiration;
    return exp && this.now() >= exp.getTime() ? undefined : this.#creds;
  }

  async renewAfterRejection(_used?: ResolvedCredentials): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {}
}
