// What error advice needs to know about a profile: whether it comes from the environment (its next
// steps name variables) and the file an imported profile is kept in sync with (they name that file).
import type { DescribeOptions } from '../presentation/errorAdvice.js';
import type { Profile } from './profile.js';

export function adviceOptions(profile: Profile | undefined): DescribeOptions {
  if (!profile) return {};
  return { credentialSource: profile.source, ...(profile.imported ? { importedFrom: profile.imported.file } : {}) };
}
