// Serves objects as read-only documents on the `oss-object:` scheme, so small objects open in a
// normal editor tab. The size limit is checked again here because a URI can be opened by hand.
import * as vscode from 'vscode';
import { formatBytes } from '../../presentation/quantityFormat.js';
import type { ClientRegistry } from '../../profiles/clientRegistry.js';

export const OBJECT_SCHEME = 'oss-object';

export interface ObjectRef {
  profileId: string;
  bucket: string;
  key: string;
}

/** oss-object:/bucket/key?profile=<id>; the path makes the tab title and language match the key. */
export function objectUri(ref: ObjectRef): vscode.Uri {
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: `/${ref.bucket}/${ref.key}`, query: new URLSearchParams({ profile: ref.profileId }).toString() });
}

export function parseObjectUri(uri: vscode.Uri): ObjectRef {
  const profileId = new URLSearchParams(uri.query).get('profile');
  const m = /^\/([^/]+)\/(.+)$/s.exec(uri.path);
  if (uri.scheme !== OBJECT_SCHEME || !profileId || !m) throw new Error(vscode.l10n.t('Not an OSS object address: {0}', uri.toString()));
  return { profileId, bucket: m[1]!, key: m[2]! };
}

export class TooLargeError extends Error {
  readonly code = 'TooLargeForEditor';
  readonly nextStep = vscode.l10n.t('Download it instead, or raise the setting ossTransfer.openInEditorMaxSizeMB.');
  constructor(key: string, size: number, limit: number) {
    super(vscode.l10n.t('{0} is {1}; objects up to {2} open in the editor', key, formatBytes(size), formatBytes(limit)));
    this.name = 'TooLargeError';
  }
}

export class BinaryObjectError extends Error {
  readonly code = 'BinaryObject';
  readonly nextStep = vscode.l10n.t('Download it and open it with a suitable program.');
  constructor(key: string) {
    super(vscode.l10n.t('{0} looks like a binary file, which the text editor cannot show', key));
    this.name = 'BinaryObjectError';
  }
}

export class ObjectContentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly clients: ClientRegistry,
    private readonly maxBytes: () => number,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = parseObjectUri(uri);
    const limit = this.maxBytes();
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const client = await this.clients.clientFor(ref.profileId, ref.bucket);
      // Ask for one byte past the limit: getting it proves the object is too large without reading it all.
      const res = await client.getObject({ bucket: ref.bucket, key: ref.key, signal: ac.signal, ...(limit > 0 ? { range: { start: 0, end: limit } } : {}) });
      const total = res.contentRange?.total ?? res.contentLength;
      if (total > limit) {
        res.body.destroy();
        throw new TooLargeError(ref.key, total, limit);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        const b = chunk as Buffer;
        size += b.length;
        if (size > limit) {
          res.body.destroy();
          throw new TooLargeError(ref.key, size, limit);
        }
        chunks.push(b);
      }
      const data = Buffer.concat(chunks);
      if (data.subarray(0, 8192).includes(0)) throw new BinaryObjectError(ref.key);
      return data.toString('utf8');
    } finally {
      sub.dispose();
    }
  }
}
