// The address an uploaded image is linked by, and the Markdown that links it. Three kinds: the
// object's public URL (public-read bucket or object), a custom domain or CDN in front of the bucket,
// or a presigned URL that works for anyone until it expires. No vscode import: unit-tested directly.
import { encodeKeyForPath } from '../../oss/index.js';
import { objectUrl } from '../commands/clipboard/objectUrl.js';
import { t } from '../presentation/translate.js';

export type ImageLink =
  | { kind: 'public' }
  /** `origin` is scheme://host[:port], `basePath` '' or '/path' without a trailing '/'. */
  | { kind: 'customDomain'; origin: string; basePath: string }
  | { kind: 'presigned'; expiresSeconds: number };

/** What building a link needs from the profile's client. */
export interface LinkSource {
  /** Where the client sends this bucket's requests (its own region endpoint, or the profile's). */
  bucketEndpoint: string;
  /** Set when the profile's endpoint is a custom domain bound to this bucket. */
  customDomainBucket?: string;
  /** A signed GET URL for the key, valid `expiresSeconds`. */
  presign(key: string, expiresSeconds: number): string;
}

/**
 * The custom domain as typed ("img.example.com", "https://cdn.example.com/assets/") made into an
 * origin and base path; https when no scheme is given. Throws an error fit for an input box.
 */
export function parseCustomDomain(input: string): { origin: string; basePath: string } {
  const typed = input.trim();
  if (typed === '') throw new Error(t('Enter the domain that serves the bucket, e.g. img.example.com or https://cdn.example.com/assets'));
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw new Error(t('"{0}" is not a domain or URL.', typed));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(t('"{0}" must be an http or https address.', typed));
  if (url.username || url.password) throw new Error(t('The domain must not carry a user name or password.'));
  if (url.search || url.hash) throw new Error(t('The domain must not have a query (?…) or fragment (#…).'));
  if (!url.hostname.includes('.') && url.hostname !== 'localhost' && !url.hostname.startsWith('[')) throw new Error(t('"{0}" is not a full domain name.', url.hostname));
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/** The URL of `bucket/key` by the chosen kind of link. The key is percent-encoded segment by segment. */
export function imageUrl(link: ImageLink, bucket: string, key: string, source: LinkSource): string {
  switch (link.kind) {
    case 'public':
      return objectUrl(source.bucketEndpoint, bucket, key, source.customDomainBucket);
    case 'customDomain':
      return `${link.origin}${link.basePath}/${encodeKeyForPath(key)}`;
    case 'presigned':
      return source.presign(key, link.expiresSeconds);
  }
}

/**
 * `![alt](url)`. The URL needs no angle brackets: keys are percent-encoded (spaces, parentheses,
 * brackets…), and what a server adds (a presigned query) has none of the characters that would end
 * a Markdown link; anything that would is encoded here all the same. The alt text escapes what
 * would close its brackets.
 */
export function markdownImage(url: string, alt = ''): string {
  const safeUrl = url.replace(/[\s()<>[\]\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const safeAlt = alt.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
  return `![${safeAlt}](${safeUrl})`;
}
