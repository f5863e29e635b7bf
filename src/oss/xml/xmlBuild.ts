// Request bodies the client sends as XML. Built by hand: they are tiny and fixed, and the
// escaping rules (and the characters XML 1.0 cannot carry at all) must be exact.
import type { CompletedPart } from '../types.js';

// XML 1.0 Char production: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
// Lone surrogates and most C0 controls cannot appear, escaped or not.
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function canCarryInXml(s: string): boolean {
  return !XML_INVALID.test(s);
}

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        // A literal CR would be normalised to LF by the server's parser.
        return '&#13;';
    }
  });
}

/** DeleteMultipleObjects body. Throws on keys that XML cannot represent (delete those one by one). */
export function buildDeleteBody(keys: readonly string[], quiet: boolean): string {
  const parts = [`<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>${quiet ? 'true' : 'false'}</Quiet>`];
  for (const key of keys) {
    if (!canCarryInXml(key)) {
      throw new Error(`key ${JSON.stringify(key)} holds characters XML cannot carry; delete it with deleteObject`);
    }
    parts.push(`<Object><Key>${xmlEscape(key)}</Key></Object>`);
  }
  parts.push('</Delete>');
  return parts.join('');
}

/** CompleteMultipartUpload body, parts in the order given (the server checks the order). */
export function buildCompleteBody(parts: readonly CompletedPart[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>'];
  for (const p of parts) {
    out.push(`<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${xmlEscape(p.etag)}</ETag></Part>`);
  }
  out.push('</CompleteMultipartUpload>');
  return out.join('');
}

export function buildCreateBucketBody(storageClass: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration>' +
    `<StorageClass>${xmlEscape(storageClass)}</StorageClass></CreateBucketConfiguration>`
  );
}
