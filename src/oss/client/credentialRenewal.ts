// What the request path does when OSS refuses the credentials themselves (an expired or wrong STS
// token, a temporary AccessKey ID that no longer exists): ask the provider for newer ones, re-sign
// and send once more if the body can be read again, or hand the caller a retryable error if it
// cannot (the engine retries with a fresh body, signed with the new credentials). Credentials with
// nothing newer behind them fail at once: no retry loop on credentials that cannot work.
import { OssError } from '../ossError.js';
import type { CredentialsProvider, ResolvedCredentials } from '../types.js';
import { invalidArgument, type Op, type RawResponse } from './requestShapes.js';

/** OSS codes that mean the credentials were refused (not a missing permission). */
export const CREDENTIAL_REJECTIONS: ReadonlySet<string> = new Set(['SecurityTokenExpired', 'InvalidSecurityToken', 'InvalidAccessKeyId']);

async function credentialsFor(provider: CredentialsProvider, op: Op): Promise<ResolvedCredentials> {
  try {
    return await provider.getCredentials(op.signal);
  } catch (e) {
    if (e instanceof OssError) throw e;
    throw invalidArgument({ operation: op.operation }, `the credentials could not be read: ${(e as Error)?.message ?? String(e)}`, 'CredentialsUnavailable');
  }
}

export async function sendWithRenewal(
  provider: CredentialsProvider,
  op: Op,
  sendSigned: (creds: ResolvedCredentials) => Promise<RawResponse>,
): Promise<RawResponse> {
  let creds = await credentialsFor(provider, op);
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendSigned(creds);
    } catch (e) {
      if (!(e instanceof OssError) || !CREDENTIAL_REJECTIONS.has(e.code)) throw e;
      e.details.credentialKind = provider.kind;
      let fresh: ResolvedCredentials | undefined;
      try {
        fresh = await provider.renewAfterRejection(creds, op.signal);
      } catch (renewal) {
        // The renewal's own failure (STS refused the role, the token file is gone) says more.
        if (renewal instanceof OssError) renewal.details.rejectedBy = `${e.operation} ${e.code}`;
        throw renewal;
      }
      if (!fresh) throw e;
      if (attempt === 1 && (op.body === undefined || op.body.reopenable)) {
        creds = fresh;
        continue;
      }
      throw new OssError({
        code: e.code,
        message: e.serverMessage,
        status: e.status,
        requestId: e.requestId,
        hostId: e.hostId,
        ec: e.ec,
        operation: e.operation,
        ...(e.bucket !== undefined ? { bucket: e.bucket } : {}),
        ...(e.key !== undefined ? { key: e.key } : {}),
        retryable: true,
        details: { ...e.details, credentialsRenewed: 'true' },
        cause: e,
      });
    }
  }
}
