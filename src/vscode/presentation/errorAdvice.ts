// Turns any error the extension meets (OssError, TransferError, network and file-system errors)
// into plain words and a next step for a notification, plus the full detail for the log.
import { errorCauses, errorDetail, errorField, errorMessageOf } from '../../transfer/errorDetail.js';
import { credentialAdvice } from './credentialAdvice.js';

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
}

interface Advice {
  summary: string;
  nextStep?: string;
}

const INVALID_RESPONSE = 'InvalidResponse';
const INVALID_RESPONSE_STEP = 'OSS does not answer like this: a proxy or an OSS-compatible server in between may be at fault. Refresh tries again.';

// OSS error codes (oss-protocol.md §5 and the OSS docs) in words a user acts on.
const OSS_ADVICE: Record<string, Advice> = {
  SignatureDoesNotMatch: {
    summary: 'The AccessKey secret was rejected',
    nextStep: 'Check the AccessKey secret of this profile (Edit Profile); a stray space or a secret from another key pair are the usual causes.',
  },
  InvalidAccessKeyId: {
    summary: 'OSS does not know this AccessKey ID',
    nextStep: 'Check the AccessKey ID of this profile (Edit Profile), and that the key is enabled in the RAM console.',
  },
  AccessDenied: {
    summary: 'Access was denied',
    nextStep: 'The AccessKey lacks permission for this bucket or operation; ask for the RAM policy, or use a profile that has it.',
  },
  RequestTimeTooSkewed: {
    summary: "This computer's clock differs from OSS's by more than 15 minutes",
    nextStep: 'Correct the system clock (enable automatic time), then retry.',
  },
  SecurityTokenExpired: {
    summary: 'The STS security token has expired',
    nextStep: 'Get a new STS token and enter it with Edit Profile.',
  },
  InvalidSecurityToken: {
    summary: 'The STS security token was rejected',
    nextStep: 'Check the STS token of this profile (Edit Profile); it must belong to the same temporary AccessKey.',
  },
  NoSuchBucket: {
    summary: 'The bucket does not exist',
    nextStep: 'Check the bucket name and the region or endpoint of the profile; the bucket may have been deleted.',
  },
  NoSuchKey: {
    summary: 'The object does not exist (any more)',
    nextStep: 'Refresh the tree; the object may have been deleted or renamed.',
  },
  NoSuchUpload: {
    summary: 'The multipart upload no longer exists on the server',
    nextStep: 'It was completed or aborted elsewhere; discard this transfer and start it again.',
  },
  InvalidBucketName: {
    summary: 'That is not a valid bucket name',
    nextStep: 'Bucket names are 3–63 characters: lower-case letters, digits and hyphens, starting and ending with a letter or digit.',
  },
  InvalidObjectName: {
    summary: 'That is not a valid object key',
    nextStep: 'Keys are 1–1023 bytes of UTF-8 and must not start with "/" or "\\".',
  },
  PreconditionFailed: {
    summary: 'The object changed on the server during the transfer',
    nextStep: 'Start the download again to get the current version.',
  },
  EntityTooLarge: { summary: 'The object is too large for a single request', nextStep: 'Use a larger part size (setting ossTransfer.partSizeMB) or leave it automatic.' },
  EntityTooSmall: { summary: 'A part was smaller than OSS allows', nextStep: 'Leave ossTransfer.partSizeMB at 0 (automatic), or use at least 0.1 (MiB).' },
  InvalidPart: { summary: 'OSS did not accept the uploaded parts', nextStep: 'Discard this transfer and upload again.' },
  InvalidPartOrder: { summary: 'OSS did not accept the order of the uploaded parts', nextStep: 'Discard this transfer and upload again.' },
  InvalidRange: { summary: 'The requested byte range is outside the object', nextStep: 'The object may have shrunk; start the download again.' },
  BucketNotEmpty: { summary: 'The bucket is not empty', nextStep: 'Delete its objects and incomplete multipart uploads first.' },
  InvalidDigest: { summary: 'The data arrived damaged (checksum mismatch)', nextStep: 'Retry; if it keeps happening, check the network or proxy.' },
  MalformedXML: { summary: 'OSS could not read the request', nextStep: 'Retry; if it persists, report it with the request id.' },
  InvalidArgument: { summary: 'OSS rejected an argument of the request', nextStep: 'See the message for the argument; fix the setting or input it names.' },
  InternalError: { summary: 'OSS had an internal error', nextStep: 'Retry in a moment; transfers resume from their checkpoints.' },
  ServiceUnavailable: { summary: 'OSS is temporarily unavailable', nextStep: 'Retry in a moment; transfers resume from their checkpoints.' },
  RequestTimeout: { summary: 'OSS timed out waiting for data', nextStep: 'Retry; a slow or unstable network is the usual cause.' },
  InvalidResponse: {
    summary: 'The server sent an answer that cannot be trusted (a malformed header or document)',
    nextStep: 'The message names what was wrong. A proxy, gateway or custom domain in front of OSS is the usual cause; try the bucket’s OSS endpoint.',
  },
  QpsLimitExceeded: { summary: 'Too many requests per second for this bucket', nextStep: 'Lower ossTransfer.parallelParts or ossTransfer.concurrentFiles and retry.' },
  DownloadTrafficRateLimitExceeded: { summary: 'The bucket’s bandwidth limit was reached', nextStep: 'Retry later or lower the parallelism settings.' },
  UploadTrafficRateLimitExceeded: { summary: 'The bucket’s bandwidth limit was reached', nextStep: 'Retry later or lower the parallelism settings.' },
};

// Node / undici error codes for failures before OSS answered.
const NETWORK_ADVICE: Record<string, Advice> = {
  ENOTFOUND: { summary: 'The endpoint host name could not be resolved', nextStep: 'Check the region or endpoint of this profile, and your DNS / network connection.' },
  EAI_AGAIN: { summary: 'The endpoint host name could not be resolved right now', nextStep: 'Check your network connection and retry.' },
  ECONNREFUSED: { summary: 'The endpoint refused the connection', nextStep: 'Check the endpoint (host and port) of this profile and that the server is running.' },
  ECONNRESET: { summary: 'The connection was dropped', nextStep: 'Retry; transfers resume from their checkpoints.' },
  EPIPE: { summary: 'The connection was dropped', nextStep: 'Retry; transfers resume from their checkpoints.' },
  ETIMEDOUT: { summary: 'The connection timed out', nextStep: 'Check your network, proxy or firewall, then retry.' },
  ENETUNREACH: { summary: 'The network is unreachable', nextStep: 'Check your network connection, then retry.' },
  EHOSTUNREACH: { summary: 'The endpoint host is unreachable', nextStep: 'Check your network connection and the endpoint, then retry.' },
  UND_ERR_CONNECT_TIMEOUT: { summary: 'Connecting to the endpoint timed out', nextStep: 'Check the endpoint and your network, proxy or firewall.' },
  UND_ERR_HEADERS_TIMEOUT: { summary: 'OSS did not answer in time', nextStep: 'Retry; if it persists, check the network.' },
  UND_ERR_BODY_TIMEOUT: { summary: 'The transfer stalled', nextStep: 'Retry; the transfer resumes from its checkpoint.' },
  UND_ERR_SOCKET: { summary: 'The connection was dropped', nextStep: 'Retry; transfers resume from their checkpoints.' },
  CERT_HAS_EXPIRED: { summary: "The endpoint's TLS certificate has expired", nextStep: 'Check the endpoint; a proxy may be intercepting TLS.' },
  DEPTH_ZERO_SELF_SIGNED_CERT: { summary: "The endpoint's TLS certificate is self-signed", nextStep: 'Check the endpoint; a proxy may be intercepting TLS.' },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { summary: "The endpoint's TLS certificate could not be verified", nextStep: 'Check the endpoint; a proxy may be intercepting TLS.' },
};

// Local file-system error codes.
const FS_ADVICE: Record<string, Advice> = {
  ENOENT: { summary: 'A local file or folder does not exist', nextStep: 'Check the path; it may have been moved or deleted.' },
  EACCES: { summary: 'Permission denied on a local file or folder', nextStep: 'Choose another folder or fix its permissions.' },
  EPERM: { summary: 'The operation is not permitted on a local file', nextStep: 'Close programs using the file, or fix its permissions.' },
  ENOSPC: { summary: 'The disk is full', nextStep: 'Free some space and retry; downloads resume from their checkpoints.' },
  EISDIR: { summary: 'A folder is in the way of a file', nextStep: 'Rename or remove the folder, or download elsewhere.' },
  ENOTDIR: { summary: 'A file is in the way of a folder', nextStep: 'Rename or remove the file, or download elsewhere.' },
  EROFS: { summary: 'The destination is read-only', nextStep: 'Choose a writable folder.' },
  EMFILE: { summary: 'Too many files are open', nextStep: 'Lower ossTransfer.concurrentFiles and retry.' },
};


// The way to the endpoint (src/oss/http/networkFailure.ts): the proxy and the certificates. Their
// words name the VS Code settings that fix them; the error's details name the proxy (never its
// credentials) and the endpoint.
function networkPathAdvice(code: string | undefined, top: object, message: string): Advice | undefined {
  const d = (top as { details?: Record<string, string> }).details ?? {};
  const proxy = d.proxy ?? 'in use';
  const where = d.proxySource && d.proxySource !== 'the proxy option' ? `${d.proxySource} (in the environment VS Code was started from)` : 'http.proxy';
  switch (code) {
    case 'ProxyAuthenticationRequired':
      return {
        summary: /refused the credentials/.test(message) ? `The proxy ${proxy} refused the credentials it was given (407)` : `The proxy ${proxy} asked for credentials (407)`,
        nextStep: `Set http.proxyAuthorization or put user:password in the proxy URL (${where}).`,
      };
    case 'ProxyRefused':
      return {
        summary: `The proxy ${proxy} did not let the request through to ${d.target ?? 'the endpoint'}`,
        nextStep: 'The proxy may not allow this host or port: ask its administrator, or list the endpoint in http.noProxy to connect directly.',
      };
    case 'ProxyUnreachable':
      return {
        summary: `The proxy ${proxy} cannot be reached`,
        nextStep: `Check the proxy address in ${where} and that the proxy is running; hosts listed in http.noProxy connect directly.`,
      };
    case 'UntrustedCertificate':
      return {
        summary: `The TLS certificate of ${d.target ?? 'the endpoint'} is not signed by a trusted CA`,
        nextStep:
          'Save the certificate of the CA that signed it (PEM) to a file and set ossTransfer.caFile to that file; http.systemCertificates adds the CAs your operating system trusts' +
          (d.proxy ? '. Behind a TLS-inspecting proxy, http.proxyStrictSSL: false also accepts its certificates.' : '.'),
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
const ENV_CREDENTIAL_STEPS: Record<string, string> = {
  SignatureDoesNotMatch: 'Check OSS_ACCESS_KEY_SECRET in the environment VS Code was started from (a stray space or a secret of another key pair are the usual causes), then restart VS Code.',
  InvalidAccessKeyId: 'Check OSS_ACCESS_KEY_ID in the environment VS Code was started from, and that the key is enabled in the RAM console.',
  SecurityTokenExpired: 'Get a new STS token, set it as OSS_SESSION_TOKEN and restart VS Code.',
  InvalidSecurityToken: 'Check OSS_SESSION_TOKEN: it must belong to the same temporary AccessKey as OSS_ACCESS_KEY_ID.',
};

export function describeError(err: unknown, opts: DescribeOptions = {}): ErrorAdvice {
  const chain = errorCauses(err);
  const top = chain[0];
  if (!top) {
    return { summary: sentence(err === undefined || err === null ? '' : errorMessageOf(err)) || 'An unknown error occurred', detail: String(err) };
  }
  const code = errorField<string>(top, 'code', 'string');
  const status = errorField<number>(top, 'status', 'number');
  const requestId = errorField<string>(top, 'requestId', 'string');
  const detail = errorDetail(err);
  const ownNextStep = errorField<string>(top, 'nextStep', 'string');
  const message = errorMessageOf(err);
  const base = { code, status, requestId, detail };

  if ((top as Error).name === 'AbortError' || code === 'ABORT_ERR') {
    return { ...base, summary: 'The operation was cancelled' };
  }
  // The engine's TransferError and our KeyPathError bring their own wording.
  if (ownNextStep) return { ...base, summary: sentence(message), nextStep: ownNextStep };
  if (code === 'UnsafeKey') {
    return { ...base, summary: sentence(message), nextStep: 'Nothing was written for this key; download it on its own to a name you choose, or rename the object.' };
  }
  // The client refused the answer (a document past its limits, a listing that does not move):
  // the reason is the point, so it is the summary.
  if (code === INVALID_RESPONSE) {
    const reason = errorField<string>(top, 'serverMessage', 'string') ?? message;
    return { ...base, summary: `The server's answer cannot be used: ${sentence(reason)}`, nextStep: INVALID_RESPONSE_STEP };
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
    return { ...base, summary: a.summary, nextStep };
  }
  // Status 0 is the client's way of saying no HTTP answer came: that is a network failure, below.
  if (status !== undefined && status > 0) return { ...base, summary: httpSummary(status, code, message), nextStep: httpNextStep(status) };
  // Network or file-system errors, possibly wrapped.
  for (const c of chain) {
    const cc = errorField<string>(c, 'code', 'string');
    if (cc && NETWORK_ADVICE[cc]) return { ...base, code: code ?? cc, ...NETWORK_ADVICE[cc] };
    if (cc && FS_ADVICE[cc]) {
      const a = FS_ADVICE[cc];
      const p = errorField<string>(c, 'path', 'string');
      return { ...base, code: code ?? cc, summary: p ? `${a.summary}: ${p}` : a.summary, nextStep: a.nextStep };
    }
  }
  if (code && OSS_ADVICE[code]) return { ...base, ...OSS_ADVICE[code] };
  return { ...base, summary: sentence(message) || 'An unknown error occurred' };
}

function httpSummary(status: number, code: string | undefined, message: string): string {
  const what = code ? `OSS answered ${code} (HTTP ${status})` : `OSS answered HTTP ${status}`;
  return message && !message.includes(String(status)) ? `${what}: ${sentence(message)}` : what;
}

function httpNextStep(status: number): string | undefined {
  if (status === 403) return 'Check the AccessKey and its permissions for this bucket.';
  if (status === 404) return 'Refresh the tree; the bucket or object may not exist.';
  if (status >= 500) return 'Retry in a moment; transfers resume from their checkpoints.';
  return undefined;
}

/** Trims and drops a trailing period so callers can add their own punctuation consistently. */
function sentence(s: string): string {
  return s.trim().replace(/\.$/, '');
}

/** "summary. nextStep" for a single-line notification. */
export function formatAdvice(a: ErrorAdvice): string {
  const id = a.requestId ? ` (request id ${a.requestId})` : '';
  return a.nextStep ? `${a.summary}${id}. ${a.nextStep}` : `${a.summary}${id}.`;
}
