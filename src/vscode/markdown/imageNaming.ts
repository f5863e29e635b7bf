// The object key of an image pasted or dropped into Markdown: the target's folder plus a name made
// from a pattern (setting ossTransfer.imageUpload.namePattern) with the date and a short hash of the
// image's bytes. Two different images never get the same key (their hashes differ); the same image
// pasted twice on one day gets the same key, so it can be reused instead of stored twice.
// No vscode import: unit-tested directly.
import { createHash } from 'node:crypto';
import { checkKey, normalizePrefix } from '../../transfer/paths/keyPath.js';
import { t } from '../presentation/translate.js';

export const DEFAULT_NAME_PATTERN = '{date}-{hash}.{ext}';

/** Hex digits of the SHA-256 kept in `{hash}`: 48 bits, no accidental clash among a person's images. */
export const HASH_LENGTH = 12;

/** What the pattern's `{…}` fields are made from. */
export interface ImageFacts {
  bytes: Uint8Array;
  /** `image/png`… */
  mime: string;
  /** The dropped or pasted file's name, when it has one (a clipboard image is usually "image.png"). */
  fileName?: string;
  /** The date and time in the name: local time, as the user reads it. */
  now: Date;
}

type Field = 'yyyy' | 'MM' | 'dd' | 'HH' | 'mm' | 'ss' | 'date' | 'time' | 'hash' | 'name' | 'ext';
const FIELDS: readonly Field[] = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'date', 'time', 'hash', 'name', 'ext'];
const FIELD_RE = /\{([^{}]*)\}/g;

const MIME_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/apng': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/pjpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'image/bmp': 'bmp',
  'image/x-ms-bmp': 'bmp',
  'image/tiff': 'tiff',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** The first HASH_LENGTH hex digits of the SHA-256 of the bytes. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * The file extension (no dot, lower case): the file's own when it names an image type of the same
 * family ("photo.jpeg" stays jpeg), otherwise the one of the MIME type, otherwise the MIME subtype
 * when it is a plain word, otherwise "img".
 */
export function imageExtension(mime: string, fileName?: string): string {
  const type = mime.trim().toLowerCase();
  const fromMime = MIME_EXTENSIONS[type];
  const own = /\.([a-z0-9]{1,8})$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (own && (own === fromMime || (fromMime === 'jpg' && own === 'jpeg') || (fromMime === 'tiff' && own === 'tif') || (!fromMime && own === subtypeOf(type)))) return own;
  if (fromMime) return fromMime;
  return subtypeOf(type) ?? 'img';
}

function subtypeOf(mime: string): string | undefined {
  const sub = /^image\/([a-z0-9]{1,8})$/.exec(mime)?.[1];
  return sub;
}

/** `{name}`: the file's name without its extension, reduced to letters, digits, '.', '_' and '-'; "image" when nothing is left. */
export function nameField(fileName: string | undefined): string {
  const base = (fileName ?? '').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const clean = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return [...clean].slice(0, 64).join('') || 'image';
}

/** Why the pattern cannot make image names, or undefined when it can. */
export function namePatternProblem(pattern: string): string | undefined {
  const p = pattern.trim();
  // Said after the pattern ("The image name pattern … has no {hash}"): a predicate in every language.
  if (p === '') return t('is empty');
  if (!p.includes('{hash}')) return t('has no {0}: without it two different images could get the same name and one would replace the other', '{hash}');
  for (const m of p.matchAll(FIELD_RE)) {
    if (!FIELDS.includes(m[1] as Field)) return t('has an unknown field {0} (known: {1})', `{${m[1]}}`, FIELDS.map((f) => `{${f}}`).join(' '));
  }
  if (/[{}]/.test(p.replace(FIELD_RE, ''))) return t('has an unmatched {0} or {1}', '{', '}');
  if (p.startsWith('/') || p.startsWith('\\')) return t('starts with "/"');
  if (p.split('/').some((s) => s === '' || s === '.' || s === '..')) return t('has an empty, "." or ".." folder');
  if (p.endsWith('/')) return t('ends with "/" (it names a file, not a folder)');
  return undefined;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function fieldValues(facts: ImageFacts): Record<Field, string> {
  const d = facts.now;
  const yyyy = pad(d.getFullYear(), 4);
  const MM = pad(d.getMonth() + 1);
  const dd = pad(d.getDate());
  const HH = pad(d.getHours());
  const mm = pad(d.getMinutes());
  const ss = pad(d.getSeconds());
  return {
    yyyy,
    MM,
    dd,
    HH,
    mm,
    ss,
    date: `${yyyy}-${MM}-${dd}`,
    time: `${HH}${mm}${ss}`,
    hash: contentHash(facts.bytes),
    name: nameField(facts.fileName),
    ext: imageExtension(facts.mime, facts.fileName),
  };
}

/**
 * The object key: `prefix` (a folder, '' for the bucket root) followed by the pattern with its fields
 * filled in. Throws an error naming the setting when the pattern cannot make a usable key.
 */
export function imageKey(prefix: string, pattern: string, facts: ImageFacts): string {
  const problem = namePatternProblem(pattern);
  if (problem) throw new Error(t('The image name pattern "{0}" {1}. Change the setting ossTransfer.imageUpload.namePattern.', pattern, problem));
  const values = fieldValues(facts);
  const name = pattern.trim().replace(FIELD_RE, (_m, field: Field) => values[field]);
  return checkKey(normalizePrefix(prefix) + name);
}
