// The neutral description of a request that both signers (V1, V4) and the test server's verifier
// work from. Values are decoded: each signer applies its own canonical encoding.

export interface SigningRequest {
  /** Upper case HTTP method. */
  method: string;
  /** Undefined for service-level requests (ListBuckets). */
  bucket?: string;
  /** Raw decoded UTF-8 object key. */
  key?: string;
  /** Decoded names and values; '' means valueless (`?acl`). */
  query: Record<string, string>;
  /** Headers as sent; names in any case. */
  headers: Record<string, string>;
}

export interface SigningCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Case-insensitive header lookup; repeated names (differing only in case) are joined by ','. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted) continue;
    found = found === undefined ? v : `${found},${v}`;
  }
  return found;
}
