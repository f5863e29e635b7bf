// Maps object keys to local paths (downloads) and local paths to keys (uploads). A key is untrusted
// input from the server: anything that could land outside the chosen folder is refused, not cleaned.
import * as nodePath from 'node:path';

export type PathPlatform = 'posix' | 'win32';

/**
 * Why a key cannot be used, as data: the UI says it in its own language (src/vscode/presentation/
 * keyProblems.ts), while `reason` and `message` say it in English for logs and library users.
 */
export type KeyProblem =
  | { code: 'notBelowBase'; base: string }
  | { code: 'outsideFolder' }
  | { code: 'noName' }
  | { code: 'controlCharacters' }
  | { code: 'absolutePath' }
  | { code: 'driveLetter' }
  | { code: 'emptySegment' }
  | { code: 'dotSegment'; segment: string }
  | { code: 'backslash' }
  | { code: 'windowsCharacters' }
  | { code: 'reservedName'; segment: string }
  | { code: 'trailingDotOrSpace' };

/** The English reason of a problem: "it contains a \"..\" path segment". */
export function keyProblemReason(p: KeyProblem): string {
  switch (p.code) {
    case 'notBelowBase':
      return `it is not below "${p.base}"`;
    case 'outsideFolder':
      return 'it would be written outside the chosen folder';
    case 'noName':
      return 'it has no name below the chosen prefix';
    case 'controlCharacters':
      return 'it contains control characters';
    case 'absolutePath':
      return 'it is an absolute path';
    case 'driveLetter':
      return 'it starts with a drive letter';
    case 'emptySegment':
      return 'it contains an empty path segment ("//")';
    case 'dotSegment':
      return `it contains a "${p.segment}" path segment`;
    case 'backslash':
      return 'it contains a backslash, a path separator on Windows';
    case 'windowsCharacters':
      return 'it contains a character Windows does not allow in file names (<>:"|?*)';
    case 'reservedName':
      return `"${p.segment}" is a reserved device name on Windows`;
    case 'trailingDotOrSpace':
      return 'a path segment ends with a dot or space, which Windows drops';
  }
}

export class KeyPathError extends Error {
  readonly code = 'UnsafeKey';
  readonly reason: string;
  readonly problem?: KeyProblem;
  /** `why`: the problem (its English reason is derived), or a reason in words. */
  constructor(
    readonly key: string,
    why: KeyProblem | string,
  ) {
    const reason = typeof why === 'string' ? why : keyProblemReason(why);
    super(`The object key "${key}" cannot be saved locally: ${reason}.`);
    this.name = 'KeyPathError';
    this.reason = reason;
    if (typeof why !== 'string') this.problem = why;
  }
}

/** What is wrong with a key OSS would refuse, or with a path that cannot become a key, as data (see KeyProblem). */
export type InvalidKeyProblem =
  | { code: 'emptyKey' }
  | { code: 'leadingSlash'; key: string }
  | { code: 'tooLong'; key: string; bytes: number; max: number }
  | { code: 'emptyPath' }
  | { code: 'leavesFolder'; path: string };

/** The English message of an invalid key or path. */
export function invalidKeyMessage(p: InvalidKeyProblem): string {
  switch (p.code) {
    case 'emptyKey':
      return 'An object key cannot be empty.';
    case 'leadingSlash':
      return `The object key "${p.key}" must not start with "/" or "\\".`;
    case 'tooLong':
      return `The object key "${p.key.slice(0, 60)}…" is ${p.bytes} bytes long; OSS allows ${p.max}.`;
    case 'emptyPath':
      return 'Cannot make an object key from an empty path.';
    case 'leavesFolder':
      return `The path "${p.path}" leaves the folder being uploaded.`;
  }
}

/** A key OSS would refuse (InvalidObjectName), said before any request; `problem` for the UI's own words. */
export class InvalidKeyError extends Error {
  readonly code = 'InvalidKey';
  constructor(readonly problem: InvalidKeyProblem) {
    super(invalidKeyMessage(problem));
    this.name = 'InvalidKeyError';
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
  if (!key.startsWith(basePrefix)) throw new KeyPathError(key, { code: 'notBelowBase', base: basePrefix });
  const rel = key.slice(basePrefix.length);
  const segments = splitRelativeKey(key, rel, platform);
  const absRoot = p.resolve(root);
  const target = p.resolve(absRoot, ...segments);
  // Defence in depth: the segment checks above should make this impossible.
  const relToRoot = p.relative(absRoot, target);
  if (relToRoot === '' || relToRoot.startsWith('..') || p.isAbsolute(relToRoot)) {
    throw new KeyPathError(key, { code: 'outsideFolder' });
  }
  return target;
}

/** Checks every path segment of a (relative) key and returns them; throws KeyPathError. */
function splitRelativeKey(key: string, rel: string, platform: PathPlatform): string[] {
  if (rel === '' || rel === '/') throw new KeyPathError(key, { code: 'noName' });
  if (CONTROL_CHARS.test(rel)) throw new KeyPathError(key, { code: 'controlCharacters' });
  if (rel.startsWith('/') || rel.startsWith('\\')) throw new KeyPathError(key, { code: 'absolutePath' });
  if (/^[A-Za-z]:/.test(rel)) throw new KeyPathError(key, { code: 'driveLetter' });
  // Backslash is a separator on Windows; refuse traversal through it everywhere so a key behaves the
  // same whichever machine downloads it.
  const body = rel.endsWith('/') ? rel.slice(0, -1) : rel;
  const segments = body.split('/');
  for (const seg of segments) {
    if (seg === '') throw new KeyPathError(key, { code: 'emptySegment' });
    for (const part of seg.split('\\')) {
      if (part === '..' || part === '.') throw new KeyPathError(key, { code: 'dotSegment', segment: part });
    }
    if (platform === 'win32') checkWindowsSegment(key, seg);
  }
  return segments;
}

function checkWindowsSegment(key: string, seg: string): void {
  if (seg.includes('\\')) throw new KeyPathError(key, { code: 'backslash' });
  if (WINDOWS_BAD_CHARS.test(seg)) throw new KeyPathError(key, { code: 'windowsCharacters' });
  if (WINDOWS_RESERVED.test(seg)) throw new KeyPathError(key, { code: 'reservedName', segment: seg });
  if (/[. ]$/.test(seg)) throw new KeyPathError(key, { code: 'trailingDotOrSpace' });
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
  if (parts.length === 0) throw new InvalidKeyError({ code: 'emptyPath' });
  if (parts.includes('..')) throw new InvalidKeyError({ code: 'leavesFolder', path: relativePath });
  return checkKey(normalizePrefix(prefix) + parts.join('/'));
}

/** '' stays ''; otherwise exactly one trailing '/' and no leading '/'. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Throws a clear error for a key OSS would refuse (InvalidObjectName); returns it otherwise. */
export function checkKey(key: string): string {
  if (key === '') throw new InvalidKeyError({ code: 'emptyKey' });
  if (key.startsWith('/') || key.startsWith('\\')) throw new InvalidKeyError({ code: 'leadingSlash', key });
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) throw new InvalidKeyError({ code: 'tooLong', key, bytes, max: MAX_KEY_BYTES });
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
