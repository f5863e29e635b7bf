// Maps object keys to local paths (downloads) and local paths to keys (uploads). A key is untrusted
// input from the server: anything that could land outside the chosen folder is refused, not cleaned.
import * as nodePath from 'node:path';

export type PathPlatform = 'posix' | 'win32';

export class KeyPathError extends Error {
  readonly code = 'UnsafeKey';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`The object key "${key}" cannot be saved locally: ${reason}.`);
    this.name = 'KeyPathError';
  }
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const WINDOWS_BAD_CHARS = /[<>:"|?*]/;
// C0 controls and DEL; NUL in particular would truncate the path in native calls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function pathApi(platform: PathPlatform): nodePath.PlatformPath {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

export function currentPlatform(): PathPlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/**
 * The local path for `key` below `root`, after removing `basePrefix` from the key.
 * Throws KeyPathError when the key is not below basePrefix or could escape `root`.
 * A key ending in '/' (a folder marker) maps to a directory path.
 */
export function keyToLocalPath(root: string, key: string, basePrefix = '', platform: PathPlatform = currentPlatform()): string {
  const p = pathApi(platform);
  if (!key.startsWith(basePrefix)) throw new KeyPathError(key, `it is not below "${basePrefix}"`);
  const rel = key.slice(basePrefix.length);
  const segments = splitRelativeKey(key, rel, platform);
  const absRoot = p.resolve(root);
  const target = p.resolve(absRoot, ...segments);
  // Defence in depth: the segment checks above should make this impossible.
  const relToRoot = p.relative(absRoot, target);
  if (relToRoot === '' || relToRoot.startsWith('..') || p.isAbsolute(relToRoot)) {
    throw new KeyPathError(key, 'it would be written outside the chosen folder');
  }
  return target;
}

/** Checks every path segment of a (relative) key and returns them; throws KeyPathError. */
function splitRelativeKey(key: string, rel: string, platform: PathPlatform): string[] {
  if (rel === '' || rel === '/') throw new KeyPathError(key, 'it has no name below the chosen prefix');
  if (CONTROL_CHARS.test(rel)) throw new KeyPathError(key, 'it contains control characters');
  if (rel.startsWith('/') || rel.startsWith('\\')) throw new KeyPathError(key, 'it is an absolute path');
  if (/^[A-Za-z]:/.test(rel)) throw new KeyPathError(key, 'it starts with a drive letter');
  // Backslash is a separator on Windows; refuse traversal through it everywhere so a key behaves the
  // same whichever machine downloads it.
  const body = rel.endsWith('/') ? rel.slice(0, -1) : rel;
  const segments = body.split('/');
  for (const seg of segments) {
    if (seg === '') throw new KeyPathError(key, 'it contains an empty path segment ("//")');
    for (const part of seg.split('\\')) {
      if (part === '..' || part === '.') throw new KeyPathError(key, `it contains a "${part}" path segment`);
    }
    if (platform === 'win32') checkWindowsSegment(key, seg);
  }
  return segments;
}

function checkWindowsSegment(key: string, seg: string): void {
  if (seg.includes('\\')) throw new KeyPathError(key, 'it contains a backslash, a path separator on Windows');
  if (WINDOWS_BAD_CHARS.test(seg)) throw new KeyPathError(key, 'it contains a character Windows does not allow in file names (<>:"|?*)');
  if (WINDOWS_RESERVED.test(seg)) throw new KeyPathError(key, `"${seg}" is a reserved device name on Windows`);
  if (/[. ]$/.test(seg)) throw new KeyPathError(key, 'a path segment ends with a dot or space, which Windows drops');
}

/** Largest key OSS accepts, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1023;

/**
 * The key for a file at `relativePath` (relative to the folder being uploaded, in the platform's
 * separators) under `prefix`. Path separators become '/'.
 */
export function localPathToKey(prefix: string, relativePath: string, platform: PathPlatform = currentPlatform()): string {
  const p = pathApi(platform);
  if (p.isAbsolute(relativePath)) throw new Error(`Expected a relative path, got "${relativePath}".`);
  const parts = relativePath.split(platform === 'win32' ? /[\\/]/ : '/').filter((s) => s !== '' && s !== '.');
  if (parts.length === 0) throw new Error('Cannot make an object key from an empty path.');
  if (parts.includes('..')) throw new Error(`The path "${relativePath}" leaves the folder being uploaded.`);
  return checkKey(normalizePrefix(prefix) + parts.join('/'));
}

/** '' stays ''; otherwise exactly one trailing '/' and no leading '/'. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Throws a clear error for a key OSS would refuse (InvalidObjectName); returns it otherwise. */
export function checkKey(key: string): string {
  if (key === '') throw new Error('An object key cannot be empty.');
  if (key.startsWith('/') || key.startsWith('\\')) throw new Error(`The object key "${key}" must not start with "/" or "\\".`);
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) throw new Error(`The object key "${key.slice(0, 60)}…" is ${bytes} bytes long; OSS allows ${MAX_KEY_BYTES}.`);
  return key;
}

/** The last name of a key: 'a/b/c.txt' -> 'c.txt', 'a/b/' -> 'b'. */
export function keyBaseName(key: string): string {
  const body = key.endsWith('/') ? key.slice(0, -1) : key;
  return body.slice(body.lastIndexOf('/') + 1);
}

/** The prefix holding a key: 'a/b/c.txt' -> 'a/b/', 'a/b/' -> 'a/', 'c' -> ''. */
export function parentPrefix(key: string): string {
  const body = key.endsWith('/') ? key.slice(0, -1) : key;
  const i = body.lastIndexOf('/');
  return i < 0 ? '' : body.slice(0, i + 1);
}
