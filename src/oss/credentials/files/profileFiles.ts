// Where the three credentials files live and how each is read: the path of each (from the home
// folder, or ALIBABA_CLOUD_CREDENTIALS_FILE for the SDKs' file) and one read of a file into its
// profiles. A missing file is no profiles; an unreadable or malformed one is a ProfileFileError.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseAliyunCliConfig } from './aliyunCliConfig.js';
import { parseOssutilConfig } from './ossutilConfig.js';
import { ProfileFileError, type ParsedProfileFile, type ProfileFileFormat } from './profileFile.js';
import { parseSharedCredentialsFile } from './sharedCredentialsFile.js';

export interface ProfileFileLocation {
  format: ProfileFileFormat;
  path: string;
}

/** Larger than any credentials file a person keeps; a file past it is refused rather than read. */
const MAX_FILE_BYTES = 1024 * 1024;

export function profileFileLocations(home: string, env: Record<string, string | undefined> = {}): ProfileFileLocation[] {
  return [
    { format: 'alibabacloud', path: env.ALIBABA_CLOUD_CREDENTIALS_FILE?.trim() || path.join(home, '.alibabacloud', 'credentials') },
    { format: 'aliyun-cli', path: path.join(home, '.aliyun', 'config.json') },
    { format: 'ossutil', path: path.join(home, '.ossutilconfig') },
  ];
}

export function parseProfileFile(format: ProfileFileFormat, text: string, file: string): ParsedProfileFile {
  switch (format) {
    case 'alibabacloud':
      return parseSharedCredentialsFile(text, file);
    case 'aliyun-cli':
      return parseAliyunCliConfig(text, file);
    case 'ossutil':
      return parseOssutilConfig(text, file);
  }
}

/** The file's profiles; undefined when the file does not exist. */
export async function readProfileFile(loc: ProfileFileLocation): Promise<ParsedProfileFile | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(loc.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ProfileFileError(loc.path, `it cannot be read (${code ?? (e as Error).message})`);
  }
  if (buf.length > MAX_FILE_BYTES) throw new ProfileFileError(loc.path, `it is ${buf.length} bytes, too large for a credentials file`);
  return parseProfileFile(loc.format, buf.toString('utf8'), loc.path);
}
