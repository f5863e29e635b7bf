// A raw, signed HTTP request to the test server, for tests that check its wire behaviour without
// going through the OSS client (signing comes from src/oss, the same code the client uses).
import { request as httpRequest } from 'node:http';
import type { SigningRequest } from '../../src/oss/signing/signingRequest.js';
import { v1Authorization } from '../../src/oss/signing/signV1.js';
import { v4Authorization } from '../../src/oss/signing/signV4.js';
import { formatIsoBasic, formatRfc1123 } from '../../src/oss/signing/ossDate.js';
import { encodeKeyForPath, rfc3986Encode } from '../../src/oss/signing/uriEncode.js';

export interface RawRequest {
  method: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** omit to send an anonymous request */
  creds?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  signature?: 'v1' | 'v4';
  region?: string;
  /** signing time; default now */
  date?: Date;
  /** send as virtual-hosted: Host `<bucket>.<hostSuffix>`, path `/key` */
  virtualHostSuffix?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export function queryString(query: Record<string, string>): string {
  const parts = Object.entries(query).map(([k, v]) => (v === '' ? rfc3986Encode(k) : `${rfc3986Encode(k)}=${rfc3986Encode(v)}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Signs (when creds are given) and sends; resolves with the whole response. */
export function signedRequest(endpoint: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const query = r.query ?? {};
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
  const date = r.date ?? new Date();
  if (r.creds) {
    if (r.creds.securityToken) headers['x-oss-security-token'] = r.creds.securityToken;
    if (r.signature === 'v4') {
      headers['x-oss-date'] = formatIsoBasic(date);
      headers['x-oss-content-sha256'] = 'UNSIGNED-PAYLOAD';
    } else {
      headers['x-oss-date'] ??= formatRfc1123(date);
    }
    const sr: SigningRequest = { method: r.method, bucket: r.bucket, key: r.key, query, headers };
    headers.authorization = r.signature === 'v4' ? v4Authorization(sr, r.creds, r.region ?? 'cn-hangzhou') : v1Authorization(sr, r.creds);
  }
  let path: string;
  if (r.virtualHostSuffix !== undefined && r.bucket !== undefined) {
    headers.host = `${r.bucket}.${r.virtualHostSuffix}`;
    path = `/${r.key === undefined ? '' : encodeKeyForPath(r.key)}`;
  } else {
    path = r.bucket === undefined ? '/' : `/${r.bucket}/${r.key === undefined ? '' : encodeKeyForPath(r.key)}`;
  }
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: r.method, path: path + queryString(query), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const b = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
