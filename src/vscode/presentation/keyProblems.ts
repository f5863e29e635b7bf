// Why a key cannot be saved locally or sent to OSS, in the UI's language. The transfer layer says it
// as data (KeyProblem, InvalidKeyProblem in src/transfer/paths/keyPath.ts) with an English message for
// logs; these are the same sentences through the translate hook (a unit test keeps the English equal).
import type { InvalidKeyProblem, KeyProblem } from '../../transfer/paths/keyPath.js';
import { t } from './translate.js';

/** "it contains a \"..\" path segment": the reason a download refuses a key. */
export function keyProblemText(p: KeyProblem): string {
  switch (p.code) {
    case 'notBelowBase':
      return t('it is not below "{0}"', p.base);
    case 'outsideFolder':
      return t('it would be written outside the chosen folder');
    case 'noName':
      return t('it has no name below the chosen prefix');
    case 'controlCharacters':
      return t('it contains control characters');
    case 'absolutePath':
      return t('it is an absolute path');
    case 'driveLetter':
      return t('it starts with a drive letter');
    case 'emptySegment':
      return t('it contains an empty path segment ("//")');
    case 'dotSegment':
      return t('it contains a "{0}" path segment', p.segment);
    case 'backslash':
      return t('it contains a backslash, a path separator on Windows');
    case 'windowsCharacters':
      return t('it contains a character Windows does not allow in file names (<>:"|?*)');
    case 'reservedName':
      return t('"{0}" is a reserved device name on Windows', p.segment);
    case 'trailingDotOrSpace':
      return t('a path segment ends with a dot or space, which Windows drops');
  }
}

/** The whole sentence of a KeyPathError. */
export function unsafeKeyText(key: string, p: KeyProblem): string {
  return t('The object key "{0}" cannot be saved locally: {1}.', key, keyProblemText(p));
}

/** The whole sentence of an InvalidKeyError. */
export function invalidKeyText(p: InvalidKeyProblem): string {
  switch (p.code) {
    case 'emptyKey':
      return t('An object key cannot be empty.');
    case 'leadingSlash':
      return t('The object key "{0}" must not start with "/" or "\\".', p.key);
    case 'tooLong':
      return t('The object key "{0}…" is {1} bytes long; OSS allows {2}.', p.key.slice(0, 60), p.bytes, p.max);
    case 'emptyPath':
      return t('Cannot make an object key from an empty path.');
    case 'leavesFolder':
      return t('The path "{0}" leaves the folder being uploaded.', p.path);
  }
}
