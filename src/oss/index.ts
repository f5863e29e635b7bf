// The public face of the OSS protocol layer: the client, its error, its types, and the pure
// helpers (endpoints, presigning, CRC-64, credentials providers and files) other layers and tests use directly.
export { OssClient } from './client/ossClient.js';
export { DEFAULT_TIMEOUTS, DEFAULT_CONNECTIONS, LOCAL_DEFAULT_REGION, DELETE_BATCH } from './client/clientDefaults.js';
export {
  OssError,
  isOssError,
  isRetryable,
  parseRetryAfter,
  NETWORK_ERROR,
  REQUEST_TIMEOUT,
  CONNECTION_RESET,
  REQUEST_ABORTED,
  type OssErrorInit,
} from './ossError.js';
export { LOCAL_READ_ERROR, BODY_LENGTH_MISMATCH } from './http/httpTransport.js';
export { PROXY_AUTH_REQUIRED, PROXY_REFUSED, PROXY_UNREACHABLE, UNTRUSTED_CERTIFICATE } from './http/networkFailure.js';
export { ProxyRules, NoProxyList, PROXY_OPTION_SOURCE, parseProxyUrl, type ProxyConfig, type ProxyRoute } from './http/proxySelection.js';
export {
  loadTrustedCertificates,
  readCaFile,
  systemCertificates,
  pemCertificates,
  CaFileError,
  SYSTEM_BUNDLE_FILES,
  type TrustOptions,
  type TrustedCertificates,
} from './http/trustedCertificates.js';
export { CHUNK_REUSE_MIN_BYTES } from './http/chunkMeter.js';
export { TRAFFIC_LIMIT_MIN, TRAFFIC_LIMIT_MAX } from './client/requestShapes.js';
export { ListingProgress, MAX_EMPTY_PAGES, objectsPage, uploadsPage, bucketsPage, type ListingPage, type ListingContext } from './client/listingProgress.js';
export { XML_BODY_LIMITS, type BodyLimits } from './xml/responseLimits.js';
export type * from './types.js';
export { crc64, crc64Combine, Crc64, crc64ToString, parseCrc64 } from './crc/crc64.js';
export { FastCrc64, fastCrcAvailable } from './crc/crc64Wasm.js';
export { presignV1, presignV4 } from './signing/presign.js';
export {
  parseEndpoint,
  regionEndpoint,
  normalizeRegion,
  regionFromHost,
  isIpOrLocalhost,
  isOssServiceHost,
  listedBucketHost,
  listedBucketRoute,
  checkListedEndpoint,
  isListedOssHost,
  isValidBucketName,
  defaultStyle,
  requestTarget,
  type Endpoint,
  type ListedEndpoint,
  type AddressingStyle,
  type RequestTarget,
} from './endpoint.js';
export { rfc3986Encode, encodeKeyForPath } from './signing/uriEncode.js';
export { formatIsoBasic, formatRfc1123, parseOssDate } from './signing/ossDate.js';
export { StaticCredentialsProvider, CREDENTIAL_KINDS, isCredentialsProvider, resolvedCredentials } from './credentials/credentialsProvider.js';
export { RefreshingCredentialsProvider, DEFAULT_REFRESH_TIMING, type RefreshTiming, type CredentialsEvent, type RefreshingOptions } from './credentials/refreshingProvider.js';
export { RamRoleArnProvider, checkRoleSession, MIN_ROLE_SECONDS, MAX_ROLE_SECONDS, DEFAULT_ROLE_SECONDS, type RamRoleArnOptions, type RoleSessionOptions } from './credentials/ramRoleArnProvider.js';
export { OidcRoleProvider, type OidcRoleOptions } from './credentials/oidcRoleProvider.js';
export { EcsRamRoleProvider, ECS_METADATA_ENDPOINT, type EcsRamRoleOptions } from './credentials/ecsRamRoleProvider.js';
export { CredentialsUriProvider, type CredentialsUriOptions } from './credentials/credentialsUriProvider.js';
export { rpcSignature, rpcStringToSign, rpcPercentEncode, rpcTimestamp } from './credentials/rpcSignature.js';
export { DEFAULT_STS_ENDPOINT, STS_VERSION } from './credentials/stsCall.js';
export { CREDENTIAL_REJECTIONS } from './client/credentialRenewal.js';
export { profileFileLocations, parseProfileFile, readProfileFile, type ProfileFileLocation } from './credentials/files/profileFiles.js';
export { ProfileFileError, type ImportedProfile, type ParsedProfileFile, type ProfileFileFormat, type SkippedProfile } from './credentials/files/profileFile.js';
