// Reading what STS, the ECS metadata service and a credentials URI answer. All three hand out the
// same four fields (AccessKeyId, AccessKeySecret, SecurityToken, Expiration as `2015-04-09T11:52:19Z`);
// STS nests them under Credentials, and its errors are JSON with Code, Message and RequestId.
import { OssError } from '../ossError.js';
import type { CredentialKind, ResolvedCredentials } from './credentialsProvider.js';
import { resolvedCredentials } from './credentialsProvider.js';
import type { TextResponse } from './credentialsHttp.js';

export interface AnswerContext {
  operation: string;
  kind: CredentialKind;
  /** Who answered, for messages: 'STS at sts.aliyuncs.com', 'the ECS metadata service', … */
  who: string;
}

function fail(ctx: AnswerContext, code: string, message: string, status: number, requestId?: string, extra: Record<string, string> = {}): OssError {
  return new OssError({
    operation: ctx.operation,
    code,
    message,
    status,
    ...(requestId ? { requestId } : {}),
    retryable: false,
    details: { credentialKind: ctx.kind, ...extra },
  });
}

function parseJson(res: TextResponse): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(res.text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A short, single-line excerpt of an answer that is not what was expected (never a credential document). */
function excerpt(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

/** An error answer: STS's JSON {Code, Message, RequestId}, or whatever else came back. */
export function failedAnswer(ctx: AnswerContext, res: TextResponse): OssError {
  const doc = parseJson(res);
  const code = str(doc?.Code) ?? (res.status === 404 ? 'NotFound' : res.status === 403 ? 'AccessDenied' : `HTTP${res.status}`);
  const requestId = str(doc?.RequestId) ?? res.headers['x-acs-request-id'];
  const message = str(doc?.Message) ?? (res.text.trim() ? `${ctx.who} answered HTTP ${res.status}: ${excerpt(res.text)}` : `${ctx.who} answered HTTP ${res.status}`);
  return fail(ctx, code, message, res.status, requestId);
}

/**
 * The credentials of a 200 answer. `nested`: under `Credentials` (STS). A document without the
 * three values, with an unreadable Expiration or with Code other than Success is an error.
 */
export function credentialsFromAnswer(ctx: AnswerContext, res: TextResponse, nested: boolean): ResolvedCredentials {
  const doc = parseJson(res);
  if (!doc) throw fail(ctx, 'InvalidResponse', `${ctx.who} did not answer with a JSON document: ${excerpt(res.text) || '(empty)'}`, res.status);
  const requestId = str(doc.RequestId);
  const code = str(doc.Code);
  if (code !== undefined && code !== 'Success' && !nested) {
    throw fail(ctx, code, str(doc.Message) ?? `${ctx.who} answered Code ${code}`, res.status, requestId);
  }
  const c = (nested ? doc.Credentials : doc) as Record<string, unknown> | undefined;
  const accessKeyId = str(c?.AccessKeyId);
  const accessKeySecret = str(c?.AccessKeySecret);
  const securityToken = str(c?.SecurityToken);
  if (!accessKeyId || !accessKeySecret || !securityToken) {
    throw fail(ctx, 'InvalidResponse', `${ctx.who} answered without AccessKeyId, AccessKeySecret and SecurityToken`, res.status, requestId);
  }
  const expText = str(c?.Expiration);
  let expiration: Date | undefined;
  if (expText !== undefined) {
    const t = Date.parse(expText);
    if (Number.isNaN(t)) throw fail(ctx, 'InvalidResponse', `${ctx.who} answered an unreadable Expiration ${JSON.stringify(expText.slice(0, 40))}`, res.status, requestId);
    expiration = new Date(t);
  }
  return resolvedCredentials({ accessKeyId, accessKeySecret, securityToken, ...(expiration ? { expiration } : {}) });
}
