// The CA certificates trusted on top of Node's own: the operating system's store (what VS Code's
// http.systemCertificates adds), the file NODE_EXTRA_CA_CERTS names, and a CA file of the user's.
// Node 20 has no API for the system store (tls.getCACertificates('system') arrived in Node 22.15),
// so it is read where it lives: Node's own API when there is one; on Linux and the BSDs the
// distribution's PEM bundle; on macOS the keychains through `security find-certificate`. Windows'
// store cannot be read without native code: there the CA file or NODE_EXTRA_CA_CERTS is the way.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as tls from 'node:tls';

/** Where distributions keep the bundle of trusted CAs (the first that exists is read). */
export const SYSTEM_BUNDLE_FILES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Arch, Gentoo, Alpine
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL, CentOS
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // Fedora, RHEL (newer layout)
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/ssl/cert.pem', // Alpine, the BSDs
];

export interface TrustOptions {
  /** Add the operating system's CAs (VS Code's http.systemCertificates). */
  systemCertificates?: boolean;
  /** Read NODE_EXTRA_CA_CERTS from here (Node reads it only at start, and only into its default store). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A PEM file of CAs to trust; `~/` is the home folder. */
  caFile?: string;
  /** Overrides SYSTEM_BUNDLE_FILES (tests). */
  systemBundleFiles?: readonly string[];
}

export interface TrustedCertificates {
  /** PEM certificates, each once, none of Node's own roots (those are trusted anyway). */
  certificates: string[];
  /** How many each source gave, for the log: `system store (/etc/ssl/certs/ca-certificates.crt): 146`. */
  sources: string[];
  /** What could not be read but does not stop anything (the CA file's problems are thrown instead). */
  warnings: string[];
}

/** A CA file that cannot be used: the message names the file and why. */
export class CaFileError extends Error {
  override readonly name = 'CaFileError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`the CA file ${file} ${reason}`);
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The certificate blocks of a PEM text (anything between them, like comments, is skipped). */
export function pemCertificates(text: string): string[] {
  return (text.match(PEM_BLOCK) ?? []).map((b) => `${b.trim()}\n`);
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? homedir() + file.slice(1) : file;
}

/** The user's CA file: every block must be a certificate, and there must be one. */
export async function readCaFile(file: string): Promise<string[]> {
  const full = expandHome(file.trim());
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CaFileError(full, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`);
  }
  const blocks = pemCertificates(text);
  if (blocks.length === 0) throw new CaFileError(full, 'holds no PEM certificate (a block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----)');
  blocks.forEach((b, i) => {
    try {
      new X509Certificate(b);
    } catch (e) {
      throw new CaFileError(full, `has a certificate that does not parse (the ${ordinal(i + 1)}): ${(e as Error).message}`);
    }
  });
  return blocks;
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

let systemStore: Promise<{ certificates: string[]; from: string }> | undefined;
let systemStoreKey = '';

/** The operating system's CAs, read once per process (per list of bundle files). */
export function systemCertificates(bundleFiles: readonly string[] = SYSTEM_BUNDLE_FILES): Promise<{ certificates: string[]; from: string }> {
  const key = bundleFiles.join('\n');
  if (!systemStore || systemStoreKey !== key) {
    systemStoreKey = key;
    systemStore = readSystemStore(bundleFiles);
    // A failed read is tried again next time rather than remembered.
    systemStore.catch(() => {
      systemStore = undefined;
    });
  }
  return systemStore;
}

async function readSystemStore(bundleFiles: readonly string[]): Promise<{ certificates: string[]; from: string }> {
  const nodeApi = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof nodeApi === 'function' && bundleFiles === SYSTEM_BUNDLE_FILES) {
    return { certificates: nodeApi('system'), from: "Node's tls.getCACertificates('system')" };
  }
  if (process.platform === 'darwin' && bundleFiles === SYSTEM_BUNDLE_FILES) {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('/usr/bin/security', ['find-certificate', '-a', '-p'], { maxBuffer: 64 * 1024 * 1024, timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    return { certificates: pemCertificates(out), from: 'the macOS keychains' };
  }
  if (process.platform === 'win32' && bundleFiles === SYSTEM_BUNDLE_FILES) {
    return { certificates: [], from: 'nowhere (Node 20 cannot read the Windows certificate store)' };
  }
  for (const file of bundleFiles) {
    try {
      return { certificates: pemCertificates(await readFile(file, 'utf8')), from: file };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return { certificates: [], from: `nowhere (none of ${bundleFiles.join(', ')} exists)` };
}

/** The same certificate however its PEM is wrapped. */
function certificateKey(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

/**
 * Everything to trust beyond Node's built-in roots. Certificates Node already trusts are left out:
 * a distribution's bundle is mostly the same Mozilla list, and every certificate given costs time
 * when the TLS context is built (about 1 ms each). A CA file that cannot be used throws
 * CaFileError; the system store or NODE_EXTRA_CA_CERTS failing only adds a warning (Node itself
 * only warns about NODE_EXTRA_CA_CERTS).
 */
export async function loadTrustedCertificates(o: TrustOptions): Promise<TrustedCertificates> {
  const seen = new Set<string>(tls.rootCertificates.map(certificateKey));
  const out: TrustedCertificates = { certificates: [], sources: [], warnings: [] };
  const add = (label: string, certs: readonly string[]): void => {
    let added = 0;
    for (const c of certs) {
      const key = certificateKey(c);
      if (seen.has(key)) continue;
      seen.add(key);
      out.certificates.push(c);
      added++;
    }
    out.sources.push(`${label}: ${certs.length}${added < certs.length ? ` (${certs.length - added} already trusted)` : ''}`);
  };
  if (o.systemCertificates) {
    try {
      const store = await systemCertificates(o.systemBundleFiles ?? SYSTEM_BUNDLE_FILES);
      add(`system store (${store.from})`, store.certificates);
    } catch (e) {
      out.warnings.push(`The system's CA certificates could not be read: ${(e as Error).message}`);
    }
  }
  const extra = o.env?.NODE_EXTRA_CA_CERTS?.trim();
  if (extra) {
    try {
      add(`NODE_EXTRA_CA_CERTS (${extra})`, pemCertificates(await readFile(expandHome(extra), 'utf8')));
    } catch (e) {
      out.warnings.push(`NODE_EXTRA_CA_CERTS names ${extra}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  if (o.caFile?.trim()) add(`CA file (${expandHome(o.caFile.trim())})`, await readCaFile(o.caFile));
  return out;
}
