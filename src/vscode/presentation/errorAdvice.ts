// Turns any error the extension meets (OssError, TransferError, network and file-system errors)
// into plain words and a next step for a notification, plus the full detail for the log.
import { errorCauses, errorDetail, errorField, errorMessageOf } from '../../transfer/errorDetail.js';
import { credentialAdvice } from './credentialAdvice.js';
import { PROXY_OPTION_SOURCE } from '../../oss/http/proxySelection.js';
import { DEFAULT_NEXT_STEP, type TransferErrorCode } from '../../transfer/transferError.js';
import type { InvalidKeyProblem, KeyProblem } from '../../transfer/paths/keyPath.js';
import { invalidKeyText, unsafeKeyText } from './keyProblems.js';
import { isTranslated, msg, t, translateKey, type MessageKey } from './translate.js';

export interface ErrorAdvice {
  /** One short sentence in plain words. */
  summary: string;
  /** What the user can do about it, when there is something. */
  nextStep?: string;
  code?: string;
  status?: number;
  requestId?: string;
  /** Everything known, for the log: code, status, request id, original message. */
  detail: string;
  /** The operation was cancelled (nothing to report). */
  cancelled?: boolean;
}

// The tables hold English messages marked with msg(); they are translated when an error is described.
interface Advice {
  summary: MessageKey;
  nextStep?: MessageKey;
}

const INVALID_RESPONSE = 'InvalidResponse';
const INVALID_RESPONSE_STEP = msg('OSS does not answer like this: a proxy or an OSS-compatible server in between may be at fault. Refresh tries again.');

// OSS error codes (oss-protocol.md §5 and the OSS docs) in words a user acts on.
const OSS_ADVICE: Record<string, Advice> = {
  SignatureDoesNotMatch: {
    summary: msg('The AccessKey secret was rejected'),
    nextStep: msg('Check the AccessKey secret of this profile (Edit Profile); a stray space or a secret from another key pair are the usual causes.'),
  },
  InvalidAccessKeyId: {
    summary: msg('OSS does not know this AccessKey ID'),
    nextStep: msg('Check the AccessKey ID of this profile (Edit Profile), and that the key is enabled in the RAM console.'),
  },
  AccessDenied: {
    summary: msg('Access was denied'),
    nextStep: msg('The AccessKey lacks permission for this bucket or operation; ask for the RAM policy, or use a profile that has it.'),
  },
  RequestTimeTooSkewed: {
    summary: msg("This computer's clock differs from OSS's by more than 15 minutes"),
    nextStep: msg('Correct the system clock (enable automatic time), then retry.'),
  },
  SecurityTokenExpired: {
    summary: msg('The STS security token has expired'),
    nextStep: msg('Get a new STS token and enter it with Edit Profile.'),
  },
  InvalidSecurityToken: {
    summary: msg('The STS security token was rejected'),
    nextStep: msg('Check the STS token of this profile (Edit Profile); it must belong to the same temporary AccessKey.'),
  },
  NoSuchBucket: {
    summary: msg('The bucket does not exist'),
    nextStep: msg('Check the bucket name and the region or endpoint of the profile; the bucket may have been deleted.'),
  },
  NoSuchKey: {
    summary: msg('The object does not exist (any more)'),
    nextStep: msg('Refresh the tree; the object may have been deleted or renamed.'),
  },
  NoSuchUpload: {
    summary: msg('The multipart upload no longer exists on the server'),
    nextStep: msg('It was completed or aborted elsewhere; discard this transfer and start it again.'),
  },
  InvalidBucketName: {
    summary: msg('That is not a valid bucket name'),
    nextStep: msg('Bucket names are 3–63 characters: lower-case letters, digits and hyphens, starting and ending with a letter or digit.'),
  },
  InvalidObjectName: {
    summary: msg('That is not a valid object key'),
    nextStep: msg('Keys are 1–1023 bytes of UTF-8 and must not start with "/" or "\\".'),
  },
  PreconditionFailed: {
    summary: msg('The object changed on the server during the transfer'),
    nextStep: msg('Start the download again to get the current version.'),
  },
  EntityTooLarge: { summary: msg('The object is too large for a single request'), nextStep: msg('Use a larger part size (setting ossTransfer.partSizeMB) or leave it automatic.') },
  EntityTooSmall: { summary: msg('A part was smaller than OSS allows'), nextStep: msg('Leave ossTransfer.partSizeMB at 0 (automatic), or use at least 0.1 (MiB).') },
  InvalidPart: { summary: msg('OSS did not accept the uploaded parts'), nextStep: msg('Discard this transfer and upload again.') },
  InvalidPartOrder: { summary: msg('OSS did not accept the order of the uploaded parts'), nextStep: msg('Discard this transfer and upload again.') },
  InvalidRange: { summary: msg('The requested byte range is outside the object'), nextStep: msg('The object may have shrunk; start the download again.') },
  BucketNotEmpty: { summary: msg('The bucket is not empty'), nextStep: msg('Delete its objects and incomplete multipart uploads first.') },
  InvalidDigest: { summary: msg('The data arrived damaged (checksum mismatch)'), nextStep: msg('Retry; if it keeps happening, check the network or proxy.') },
  MalformedXML: { summary: msg('OSS could not read the request'), nextStep: msg('Retry; if it persists, report it with the request id.') },
  InvalidArgument: { summary: msg('OSS rejected an argument of the request'), nextStep: msg('See the message for the argument; fix the setting or input it names.') },
  InternalError: { summary: msg('OSS had an internal error'), nextStep: msg('Retry in a moment; transfers resume from their checkpoints.') },
  ServiceUnavailable: { summary: msg('OSS is temporarily unavailable'), nextStep: msg('Retry in a moment; transfers resume from their checkpoints.') },
  RequestTimeout: { summary: msg('OSS timed out waiting for data'), nextStep: msg('Retry; a slow or unstable network is the usual cause.') },
  InvalidResponse: {
    summary: msg('The server sent an answer that cannot be trusted (a malformed header or document)'),
    nextStep: msg('The message names what was wrong. A proxy, gateway or custom domain in front of OSS is the usual cause; try the bucket’s OSS endpoint.'),
  },
  QpsLimitExceeded: { summary: msg('Too many requests per second for this bucket'), nextStep: msg('Lower ossTransfer.parallelParts or ossTransfer.concurrentFiles and retry.') },
  DownloadTrafficRateLimitExceeded: { summary: msg('The bucket’s bandwidth limit was reached'), nextStep: msg('Retry later or lower the parallelism settings.') },
  UploadTrafficRateLimitExceeded: { summary: msg('The bucket’s bandwidth limit was reached'), nextStep: msg('Retry later or lower the parallelism settings.') },
};

// Node / undici error codes for failures before OSS answered.
const NETWORK_ADVICE: Record<string, Advice> = {
  ENOTFOUND: { summary: msg('The endpoint host name could not be resolved'), nextStep: msg('Check the region or endpoint of this profile, and your DNS / network connection.') },
  EAI_AGAIN: { summary: msg('The endpoint host name could not be resolved right now'), nextStep: msg('Check your network connection and retry.') },
  ECONNREFUSED: { summary: msg('The endpoint refused the connection'), nextStep: msg('Check the endpoint (host and port) of this profile and that the server is running.') },
  ECONNRESET: { summary: msg('The connection was dropped'), nextStep: msg('Retry; transfers resume from their checkpoints.') },
  EPIPE: { summary: msg('The connection was dropped'), nextStep: msg('Retry; transfers resume from their checkpoints.') },
  ETIMEDOUT: { summary: msg('The connection timed out'), nextStep: msg('Check your network, proxy or firewall, then retry.') },
  ENETUNREACH: { summary: msg('The network is unreachable'), nextStep: msg('Check your network connection, then retry.') },
  EHOSTUNREACH: { summary: msg('The endpoint host is unreachable'), nextStep: msg('Check your network connection and the endpoint, then retry.') },
  UND_ERR_CONNECT_TIMEOUT: { summary: msg('Connecting to the endpoint timed out'), nextStep: msg('Check the endpoint and your network, proxy or firewall.') },
  UND_ERR_HEADERS_TIMEOUT: { summary: msg('OSS did not answer in time'), nextStep: msg('Retry; if it persists, check the network.') },
  UND_ERR_BODY_TIMEOUT: { summary: msg('The transfer stalled'), nextStep: msg('Retry; the transfer resumes from its checkpoint.') },
  UND_ERR_SOCKET: { summary: msg('The connection was dropped'), nextStep: msg('Retry; transfers resume from their checkpoints.') },
  CERT_HAS_EXPIRED: { summary: msg("The endpoint's TLS certificate has expired"), nextStep: msg('Check the endpoint; a proxy may be intercepting TLS.') },
  DEPTH_ZERO_SELF_SIGNED_CERT: { summary: msg("The endpoint's TLS certificate is self-signed"), nextStep: msg('Check the endpoint; a proxy may be intercepting TLS.') },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { summary: msg("The endpoint's TLS certificate could not be verified"), nextStep: msg('Check the endpoint; a proxy may be intercepting TLS.') },
};

// Local file-system error codes.
const FS_ADVICE: Record<string, Advice> = {
  ENOENT: { summary: msg('A local file or folder does not exist'), nextStep: msg('Check the path; it may have been moved or deleted.') },
  EACCES: { summary: msg('Permission denied on a local file or folder'), nextStep: msg('Choose another folder or fix its permissions.') },
  EPERM: { summary: msg('The operation is not permitted on a local file'), nextStep: msg('Close programs using the file, or fix its permissions.') },
  ENOSPC: { summary: msg('The disk is full'), nextStep: msg('Free some space and retry; downloads resume from their checkpoints.') },
  EISDIR: { summary: msg('A folder is in the way of a file'), nextStep: msg('Rename or remove the folder, or download elsewhere.') },
  ENOTDIR: { summary: msg('A file is in the way of a folder'), nextStep: msg('Rename or remove the file, or download elsewhere.') },
  EROFS: { summary: msg('The destination is read-only'), nextStep: msg('Choose a writable folder.') },
  EMFILE: { summary: msg('Too many files are open'), nextStep: msg('Lower ossTransfer.concurrentFiles and retry.') },
};


// The way to the endpoint (src/oss/http/networkFailure.ts): the proxy and the certificates. Their
// words name the VS Code settings that fix them; the error's details name the proxy (never its
// credentials) and the endpoint.
function networkPathAdvice(code: string | undefined, top: object, message: string): { summary: string; nextStep: string } | undefined {
  const d = (top as { details?: Record<string, string> }).details ?? {};
  const proxy = d.proxy;
  const where = d.proxySource && d.proxySource !== PROXY_OPTION_SOURCE ? t('{0} (in the environment VS Code was started from)', d.proxySource) : 'http.proxy';
  const target = d.target ?? t('the endpoint');
  switch (code) {
    case 'ProxyAuthenticationRequired': {
      const refused = /refused the credentials/.test(message);
      const summary = proxy
        ? refused
          ? t('The proxy {0} refused the credentials it was given (407)', proxy)
          : t('The proxy {0} asked for credentials (407)', proxy)
        : refused
          ? t('The proxy in use refused the credentials it was given (407)')
          : t('The proxy in use asked for credentials (407)');
      return { summary, nextStep: t('Set http.proxyAuthorization or put user:password in the proxy URL ({0}).', where) };
    }
    case 'ProxyRefused':
      return {
        summary: proxy ? t('The proxy {0} did not let the request through to {1}', proxy, target) : t('The proxy in use did not let the request through to {0}', target),
        nextStep: t('The proxy may not allow this host or port: ask its administrator, or list the endpoint in http.noProxy to connect directly.'),
      };
    case 'ProxyUnreachable':
      return {
        summary: proxy ? t('The proxy {0} cannot be reached', proxy) : t('The proxy in use cannot be reached'),
        nextStep: t('Check the proxy address in {0} and that the proxy is running; hosts listed in http.noProxy connect directly.', where),
      };
    case 'UntrustedCertificate':
      return {
        summary: t('The TLS certificate of {0} is not signed by a trusted CA', target),
        nextStep: d.proxy
          ? t(
              'Save the certificate of the CA that signed it (PEM) to a file and set ossTransfer.caFile to that file; http.systemCertificates adds the CAs your operating system trusts. Behind a TLS-inspecting proxy, http.proxyStrictSSL: false also accepts its certificates.',
            )
          : t('Save the certificate of the CA that signed it (PEM) to a file and set ossTransfer.caFile to that file; http.systemCertificates adds the CAs your operating system trusts.'),
      };
    default:
      return undefined;
  }
}

/**
 * Where the failing credentials came from. An environment profile cannot be edited in VS Code, so its
 * next step names the variable instead of "Edit Profile".
 */
export interface DescribeOptions {
  credentialSource?: 'user' | 'env';
  /** The file an imported profile is kept in sync with: credential next steps point there. */
  importedFrom?: string;
}

// Next steps for credential errors of an environment profile (OSS_* variables VS Code was started with).
const ENV_CREDENTIAL_STEPS: Record<string, MessageKey> = {
  SignatureDoesNotMatch: msg('Check OSS_ACCESS_KEY_SECRET in the environment VS Code was started from (a stray space or a secret of another key pair are the usual causes), then restart VS Code.'),
  InvalidAccessKeyId: msg('Check OSS_ACCESS_KEY_ID in the environment VS Code was started from, and that the key is enabled in the RAM console.'),
  SecurityTokenExpired: msg('Get a new STS token, set it as OSS_SESSION_TOKEN and restart VS Code.'),
  InvalidSecurityToken: msg('Check OSS_SESSION_TOKEN: it must belong to the same temporary AccessKey as OSS_ACCESS_KEY_ID.'),
};

// The engine's TransferError codes in words a user acts on. The next steps are the engine's own
// defaults (DEFAULT_NEXT_STEP, English), so a next step the engine did not change is translated;
// a unit test keeps the two tables in step.
const TRANSFER_ADVICE: Record<TransferErrorCode, Required<Advice>> = {
  FileChanged: {
    summary: msg('The local file changed during the upload'),
    nextStep: msg('The local file changed during the upload; the partial upload was discarded. Start the upload again.'),
  },
  ObjectChanged: {
    summary: msg('The object changed on the server during the download'),
    nextStep: msg('The object changed on the server; the partial download was discarded. Start the download again.'),
  },
  CrcMismatch: {
    summary: msg('The data was corrupted in transit (CRC-64 mismatch)'),
    nextStep: msg('The data was corrupted in transit; nothing was kept. Retry the transfer; if it keeps failing, check the network or proxy.'),
  },
  Aborted: {
    summary: msg('The transfer was cancelled'),
    nextStep: msg('The transfer was cancelled; its checkpoint is kept, so running it again resumes where it stopped.'),
  },
  CheckpointInvalid: {
    summary: msg('The checkpoint cannot be used'),
    nextStep: msg('The checkpoint file is unreadable or belongs to another transfer; delete it or start the transfer again.'),
  },
  SizeMismatch: {
    summary: msg('The server sent a different number of bytes than it announced'),
    nextStep: msg('The server returned a different number of bytes than announced; retry the transfer.'),
  },
  RangeMismatch: {
    summary: msg('The server answered a part of the download with other bytes than asked'),
    nextStep: msg("The server (or a proxy, CDN or custom domain in front of it) answered a part of the download with other bytes than asked; nothing was kept. Download through the bucket's OSS endpoint instead."),
  },
  LocalIoError: {
    summary: msg('Reading or writing a local file failed'),
    nextStep: msg('Reading or writing the local file failed; check the path, permissions and disk, then retry (the transfer resumes).'),
  },
  DiskFull: { summary: msg('The disk is full'), nextStep: msg('The disk is full; free some space and retry — the download resumes from its checkpoint.') },
  NotWritable: {
    summary: msg('The destination is not writable'),
    nextStep: msg('The destination folder is not writable; choose another folder or fix its permissions.'),
  },
  InvalidArgument: { summary: msg('An argument of the transfer is not valid'), nextStep: msg('Fix the argument named in the message and try again.') },
  FileNotFound: { summary: msg('The local file does not exist'), nextStep: msg('The local file does not exist; check the path.') },
  AlreadyRunning: {
    summary: msg('This file is already being transferred'),
    nextStep: msg('Wait for the running transfer of this file to finish, or cancel it first.'),
  },
  SyncRefused: {
    summary: msg('The sync was refused to protect the destination'),
    nextStep: msg('Nothing was changed. Check the folder and the prefix (and that the key can read them), or sync without deleting.'),
  },
  NotSmall: {
    summary: msg('The file is too large for a single request'),
    nextStep: msg('The file is larger than one request carries; transfer it with the resumable engine (resumableUpload / resumableDownload).'),
  },
};

/** The English next steps this module translates, by code (for the test that keeps them in step with the engine's). */
export function transferNextStepsInEnglish(): Record<TransferErrorCode, string> {
  const out = {} as Record<TransferErrorCode, string>;
  for (const [code, a] of Object.entries(TRANSFER_ADVICE) as [TransferErrorCode, Required<Advice>][]) out[code] = a.nextStep;
  return out;
}

function isTransferCode(code: string | undefined): code is TransferErrorCode {
  return code !== undefined && Object.hasOwn(TRANSFER_ADVICE, code);
}

/**
 * A TransferError in the UI language. In English its own message says the most (the file, the ETag,
 * the part); a translated UI says what happened by its code, the message staying in the detail.
 */
function transferAdvice(code: TransferErrorCode, message: string, ownNextStep: string): Advice | { summary: string; nextStep: string } {
  const a = TRANSFER_ADVICE[code];
  const summary = isTranslated(a.summary) ? translateKey(a.summary) : sentence(message);
  const nextStep = ownNextStep === DEFAULT_NEXT_STEP[code] ? translateKey(a.nextStep) : ownNextStep;
  return { summary, nextStep };
}

export function describeError(err: unknown, opts: DescribeOptions = {}): ErrorAdvice {
  const chain = errorCauses(err);
  const top = chain[0];
  if (!top) {
    return { summary: sentence(err === undefined || err === null ? '' : errorMessageOf(err)) || t('An unknown error occurred'), detail: String(err) };
  }
  const code = errorField<string>(top, 'code', 'string');
  const status = errorField<number>(top, 'status', 'number');
  const requestId = errorField<string>(top, 'requestId', 'string');
  const detail = errorDetail(err);
  const ownNextStep = errorField<string>(top, 'nextStep', 'string');
  const message = errorMessageOf(err);
  const base = { code, status, requestId, detail };
  const said = (a: Advice): { summary: string; nextStep?: string } => (a.nextStep ? { summary: translateKey(a.summary), nextStep: translateKey(a.nextStep) } : { summary: translateKey(a.summary) });

  if ((top as Error).name === 'AbortError' || code === 'ABORT_ERR') {
    return { ...base, summary: t('The operation was cancelled'), cancelled: true };
  }
  if (ownNextStep && (top as Error).name === 'TransferError' && isTransferCode(code)) return { ...base, ...transferAdvice(code, message, ownNextStep) };
  // Our own errors (KeyPathError, a missing secret…) bring their own wording, already translated.
  if (ownNextStep) return { ...base, summary: sentence(message), nextStep: ownNextStep };
  if (code === 'UnsafeKey') {
    const { key, problem } = top as { key?: unknown; problem?: KeyProblem };
    const summary = problem && typeof key === 'string' ? unsafeKeyText(key, problem) : message;
    return { ...base, summary: sentence(summary), nextStep: t('Nothing was written for this key; download it on its own to a name you choose, or rename the object.') };
  }
  if (code === 'InvalidKey' && (top as { problem?: unknown }).problem) {
    return { ...base, summary: sentence(invalidKeyText((top as { problem: InvalidKeyProblem }).problem)) };
  }
  // The client refused the answer (a document past its limits, a listing that does not move):
  // the reason is the point, so it is the summary.
  if (code === INVALID_RESPONSE) {
    const reason = errorField<string>(top, 'serverMessage', 'string') ?? message;
    return { ...base, summary: t("The server's answer cannot be used: {0}", sentence(reason)), nextStep: translateKey(INVALID_RESPONSE_STEP) };
  }
  const pathAdvice = networkPathAdvice(code, top, message);
  if (pathAdvice) return { ...base, ...pathAdvice };
  // Getting or renewing credentials failed (STS, the metadata service, a credentials URI), or OSS
  // refused credentials that are renewed automatically.
  const details = (top as { details?: Record<string, unknown> }).details;
  const cred = credentialAdvice(
    { operation: errorField<string>(top, 'operation', 'string'), code, status, kind: typeof details?.credentialKind === 'string' ? details.credentialKind : undefined },
    opts,
  );
  if (cred) return { ...base, ...cred };
  // An OSS reply: it has an HTTP status (and usually a request id).
  if (status !== undefined && code && OSS_ADVICE[code]) {
    const a = OSS_ADVICE[code];
    const nextStep = (opts.credentialSource === 'env' && ENV_CREDENTIAL_STEPS[code]) || a.nextStep;
    return { ...base, ...said({ summary: a.summary, ...(nextStep ? { nextStep } : {}) }) };
  }
  // Status 0 is the client's way of saying no HTTP answer came: that is a network failure, below.
  if (status !== undefined && status > 0) {
    const nextStep = httpNextStep(status);
    return { ...base, summary: httpSummary(status, code, message), ...(nextStep ? { nextStep } : {}) };
  }
  // Network or file-system errors, possibly wrapped.
  for (const c of chain) {
    const cc = errorField<string>(c, 'code', 'string');
    if (cc && NETWORK_ADVICE[cc]) return { ...base, code: code ?? cc, ...said(NETWORK_ADVICE[cc]) };
    if (cc && FS_ADVICE[cc]) {
      const a = said(FS_ADVICE[cc]);
      const p = errorField<string>(c, 'path', 'string');
      return { ...base, code: code ?? cc, ...a, summary: p ? t('{0}: {1}', a.summary, p) : a.summary };
    }
  }
  if (code && OSS_ADVICE[code]) return { ...base, ...said(OSS_ADVICE[code]) };
  return { ...base, summary: sentence(message) || t('An unknown error occurred') };
}

function httpSummary(status: number, code: string | undefined, message: string): string {
  const what = code ? t('OSS answered {0} (HTTP {1})', code, status) : t('OSS answered HTTP {0}', status);
  return message && !message.includes(String(status)) ? t('{0}: {1}', what, sentence(message)) : what;
}

function httpNextStep(status: number): string | undefined {
  if (status === 403) return t('Check the AccessKey and its permissions for this bucket.');
  if (status === 404) return t('Refresh the tree; the bucket or object may not exist.');
  if (status >= 500) return t('Retry in a moment; transfers resume from their checkpoints.');
  return undefined;
}

/** Trims and drops a trailing period (also a Chinese one) so callers can add their own punctuation consistently. */
function sentence(s: string): string {
  return s.trim().replace(/[.。]$/, '');
}

/** "summary. nextStep" for a single-line notification. */
export function formatAdvice(a: ErrorAdvice): string {
  if (a.requestId) return a.nextStep ? t('{0} (request id {1}). {2}', a.summary, a.requestId, a.nextStep) : t('{0} (request id {1}).', a.summary, a.requestId);
  return a.nextStep ? t('{0}. {1}', a.summary, a.nextStep) : t('{0}.', a.summary);
}
