// Names the engine derives from a user's file name (its temp file, its checkpoint, their locks and
// temp files) add a suffix to it, and a file name may already be as long as a file system allows.
// A derived name that would not fit is shortened, keeping the beginning (so a person can still tell
// whose it is) and a hash of the whole name (so two long names never share one).
import { createHash } from 'node:crypto';

/** The longest file name Linux and macOS accept, in UTF-8 bytes (NTFS counts 255 UTF-16 units: never fewer). */
export const MAX_NAME_BYTES = 255;
/** `~` and 16 hex digits of SHA-256: what a shortened name ends in (before `keep`). */
const TAG_BYTES = 17;

/**
 * `name` itself when it and `reserve` more bytes fit in one file name; otherwise as much of its
 * beginning as fits, `~`, a hash of the whole of `name`, and `keep` (an ending of `name`, such as
 * `.cpt`, that must survive the shortening). Deterministic: the same name always gives the same result.
 */
export function fitName(name: string, reserve: number, keep = ''): string {
  if (Buffer.byteLength(name, 'utf8') + reserve <= MAX_NAME_BYTES) return name;
  const ending = keep && name.endsWith(keep) ? keep : '';
  const stem = ending ? name.slice(0, -ending.length) : name;
  const room = MAX_NAME_BYTES - reserve - TAG_BYTES - Buffer.byteLength(ending, 'utf8');
  if (room < 0) throw new RangeError(`no file name can hold ${reserve} more bytes`);
  const tag = '~' + createHash('sha256').update(name, 'utf8').digest('hex').slice(0, TAG_BYTES - 1);
  return utf8Head(stem, room) + tag + ending;
}

/** The longest beginning of `s` of at most `max` UTF-8 bytes, cut between characters, never inside one. */
export function utf8Head(s: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    bytes += n;
    end += ch.length;
  }
  return s.slice(0, end);
}
