// Percent-encoding as OSS canonicalises it (RFC 3986 unreserved set kept, everything else %XX on
// the UTF-8 bytes). encodeURIComponent leaves !'()* alone, so those are escaped on top.

const EXTRA_RESERVED = /[!'()*]/g;

function escapeExtra(c: string): string {
  return '%' + c.charCodeAt(0).toString(16).toUpperCase();
}

/** UTF-8 percent-encoding keeping only A-Z a-z 0-9 - . _ ~ ; hex digits upper case. */
export function rfc3986Encode(s: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(s);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form, so it cannot be signed or sent.
    throw new TypeError(`cannot percent-encode ${JSON.stringify(s)}: it holds an unpaired UTF-16 surrogate`);
  }
  return encoded.replace(EXTRA_RESERVED, escapeExtra);
}

/** Like rfc3986Encode but keeps '/', for object keys in URL paths and V4 canonical URIs. */
export function encodeKeyForPath(key: string): string {
  return rfc3986Encode(key).replace(/%2F/g, '/');
}
