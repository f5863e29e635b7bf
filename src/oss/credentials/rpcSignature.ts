// Signature of Alibaba Cloud's RPC-style APIs (STS AssumeRole among them), signature version 1.0:
//   StringToSign = METHOD + "&" + enc("/") + "&" + enc(canonical query)
//   canonical query = the parameters (query and form body, Signature excluded) sorted by name,
//                     each enc(name) "=" enc(value), joined by "&"
//   Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
// enc is percent-encoding of UTF-8 bytes keeping only A-Z a-z 0-9 - _ . ~ (space -> %20).
import { createHmac } from 'node:crypto';

export function rpcPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function rpcCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${rpcPercentEncode(k)}=${rpcPercentEncode(params[k]!)}`)
    .join('&');
}

export function rpcStringToSign(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${rpcPercentEncode('/')}&${rpcPercentEncode(rpcCanonicalQuery(params))}`;
}

export function rpcSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}

/** `2015-04-09T11:52:19Z`: the RPC Timestamp (UTC, whole seconds). */
export function rpcTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
