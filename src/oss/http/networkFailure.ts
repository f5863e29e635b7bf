// Failures that are about the way to the endpoint rather than the endpoint: the proxy wants
// credentials (407), refuses the tunnel, or cannot be reached; or a TLS certificate is signed by a
// CA nobody trusts. Each becomes an OssError with its own code and a message that names the proxy
// (scheme://host:port, never its credentials) or the host whose certificate failed.
import { OssError, type ErrorContext } from '../ossError.js';
import type { ProxyRoute } from './proxySelection.js';

export const PROXY_AUTH_REQUIRED = 'ProxyAuthenticationRequired';
export const PROXY_REFUSED = 'ProxyRefused';
export const PROXY_UNREACHABLE = 'ProxyUnreachable';
export const UNTRUSTED_CERTIFICATE = 'UntrustedCertificate';

/** Socket errors that, with a proxy in the way, are the proxy's: we only ever connect to it. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** OpenSSL's verdicts for a chain that ends at a CA nobody trusts. */
const UNKNOWN_CA_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

function systemCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.cause?.code === 'string' ? e.cause.code : '';
}

export interface FailurePath {
  /** `oss-cn-hangzhou.aliyuncs.com:443`: the endpoint the request was for. */
  target: string;
  route?: ProxyRoute;
  /** The proxy was handed credentials (URL or Proxy-Authorization). */
  credentialsSent?: boolean;
}

/** The OssError for a failure on the way to the endpoint, or undefined when it is not one. */
export function networkPathFailure(err: unknown, ctx: ErrorContext, path: FailurePath): OssError | undefined {
  const code = systemCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const { route } = path;
  if (route) {
    const proxyStatus = /Proxy response \((\d{3})\)/.exec(message)?.[1] ?? (/Proxy Authentication Required \(407\)/.test(message) ? '407' : undefined);
    const details = { proxy: route.shown, proxySource: route.source, target: path.target };
    if (proxyStatus === '407') {
      const said = path.credentialsSent
        ? `the proxy ${route.shown} refused the credentials it was given (407)`
        : `the proxy ${route.shown} asked for credentials (407)`;
      return new OssError({ ...ctx, code: PROXY_AUTH_REQUIRED, message: `${said}: give it a Proxy-Authorization value or put user:password in the proxy URL`, status: 407, retryable: false, details, cause: err });
    }
    if (proxyStatus !== undefined) {
      const status = Number(proxyStatus);
      return new OssError({ ...ctx, code: PROXY_REFUSED, message: `the proxy ${route.shown} did not open a tunnel to ${path.target} (it answered ${status})`, status, retryable: status >= 500, details, cause: err });
    }
    if (CONNECT_CODES.has(code)) {
      return new OssError({ ...ctx, code: PROXY_UNREACHABLE, message: `the proxy ${route.shown} (from ${route.source}) cannot be reached: ${message} [${code}]`, status: 0, retryable: true, details: { ...details, systemCode: code }, cause: err });
    }
  }
  if (UNKNOWN_CA_CODES.has(code)) {
    const whose = route?.url.protocol === 'https:' ? `${path.target} (or of the proxy ${route.shown})` : path.target;
    return new OssError({
      ...ctx,
      code: UNTRUSTED_CERTIFICATE,
      message: `the TLS certificate of ${whose} is not signed by a trusted CA (${code}: ${message}): trust the CA that signed it (a PEM CA file)`,
      status: 0,
      retryable: false,
      details: { systemCode: code, target: path.target, ...(route ? { proxy: route.shown } : {}) },
      cause: err,
    });
  }
  return undefined;
}
