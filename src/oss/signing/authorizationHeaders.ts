// Adds the date, token and Authorization headers to an outgoing request, for V1 or V4. The
// headers signed are exactly the headers sent: callers pass the final header map and nothing is
// added to it afterwards except what HTTP itself adds (Host, Content-Length), which neither
// signature covers.
import { formatIsoBasic, formatRfc1123 } from './ossDate.js';
import type { SigningCredentials } from './signingRequest.js';
import { v1Authorization } from './signV1.js';
import { v4Authorization } from './signV4.js';
import type { SignatureVersion } from '../types.js';

export interface SignInput {
  method: string;
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  /** Lower-case names; modified in place. */
  headers: Record<string, string>;
  creds: SigningCredentials;
  version: SignatureVersion;
  /** Needed for V4. */
  region?: string;
  now: Date;
}

export function signRequest(s: SignInput): void {
  if (s.creds.securityToken) s.headers['x-oss-security-token'] = s.creds.securityToken;
  const req = { method: s.method, bucket: s.bucket, key: s.key, query: s.query, headers: s.headers };
  if (s.version === 'v4') {
    if (!s.region) throw new TypeError('V4 signing needs a region');
    s.headers['x-oss-date'] = formatIsoBasic(s.now);
    // OSS accepts an unsigned payload; hashing a multi-GB body before sending it would double the I/O.
    s.headers['x-oss-content-sha256'] = 'UNSIGNED-PAYLOAD';
    s.headers['authorization'] = v4Authorization(req, s.creds, s.region);
  } else {
    // As ali-oss does: x-oss-date instead of Date (some runtimes forbid setting Date).
    s.headers['x-oss-date'] = formatRfc1123(s.now);
    s.headers['authorization'] = v1Authorization(req, s.creds);
  }
}
