// Failures to get credentials are told apart from OSS's answers and get next steps that name the
// right console, variable or file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../../src/oss/ossError.js';
import { describeError, formatAdvice } from '../../src/vscode/presentation/errorAdvice.js';

const err = (operation: string, code: string, status: number, details: Record<string, string> = {}) =>
  new OssError({ operation, code, message: 'the service said so', status, requestId: 'RID9', retryable: false, details });

test('STS failures of a RAM role profile name STS and what to fix, with the request id', () => {
  const gone = describeError(err('AssumeRole', 'InvalidAccessKeyId.NotFound', 404));
  assert.match(gone.summary, /STS does not accept the base AccessKey/);
  assert.match(gone.nextStep!, /Edit Profile/);
  assert.match(formatAdvice(gone), /request id RID9/);
  assert.match(describeError(err('AssumeRole', 'NoPermission', 403)).nextStep!, /sts:AssumeRole/);
  assert.match(describeError(err('AssumeRole', 'EntityNotExist.Role', 404)).nextStep!, /role ARN/);
  assert.match(describeError(err('AssumeRole', 'SignatureDoesNotMatch', 400)).summary, /base AccessKey secret/);
  assert.match(describeError(err('AssumeRole', 'NetworkError', 0)).summary, /STS could not be reached/);
  assert.match(describeError(err('AssumeRole', 'Throttling.User', 400)).summary, /STS answered Throttling\.User/);
});

test('an imported profile is pointed at its file; an environment profile at its variables', () => {
  const imported = describeError(err('AssumeRole', 'SignatureDoesNotMatch', 400), { credentialSource: 'user', importedFrom: '/home/u/.aliyun/config.json' });
  assert.match(imported.nextStep!, /\/home\/u\/\.aliyun\/config\.json \(re-read when it changes\)/);
  const envOidc = describeError(err('AssumeRoleWithOIDC', 'OIDCTokenUnreadable', 0), { credentialSource: 'env' });
  assert.match(envOidc.nextStep!, /ALIBABA_CLOUD_OIDC_TOKEN_FILE/);
  const envUri = describeError(err('CredentialsUri', 'NetworkError', 0), { credentialSource: 'env' });
  assert.match(envUri.nextStep!, /ALIBABA_CLOUD_CREDENTIALS_URI/);
  const sts = describeError(new OssError({ operation: 'PutObject', code: 'SecurityTokenExpired', message: 'expired', status: 403, retryable: false, details: { credentialKind: 'stsToken' } }), { importedFrom: '/home/u/.ossutilconfig' });
  assert.match(sts.nextStep!, /write it to \/home\/u\/\.ossutilconfig/);
  const key = describeError(new OssError({ operation: 'ListBuckets', code: 'SignatureDoesNotMatch', message: 'x', status: 403, retryable: false }), { importedFrom: '~/.alibabacloud/credentials' });
  assert.equal(key.summary, 'The AccessKey secret was rejected');
  assert.match(key.nextStep!, /in ~\/\.alibabacloud\/credentials: the profile is re-read/);
});

test('the metadata service off ECS, and OSS refusing renewed credentials, each say what is going on', () => {
  assert.match(describeError(err('EcsRamRole', 'NetworkError', 0)).nextStep!, /only on an ECS instance/);
  assert.match(describeError(err('EcsRamRole', 'NoSuchRamRole', 404)).summary, /No such RAM role/);
  const refused = describeError(new OssError({ operation: 'UploadPart', code: 'InvalidAccessKeyId', message: 'x', status: 403, retryable: false, details: { credentialKind: 'ramRoleArn' } }));
  assert.match(refused.summary, /even after renewing/);
  // A plain AccessKey refused keeps the usual advice.
  const plain = describeError(new OssError({ operation: 'PutObject', code: 'InvalidAccessKeyId', message: 'x', status: 403, retryable: false, details: { credentialKind: 'accessKey' } }));
  assert.equal(plain.summary, 'OSS does not know this AccessKey ID');
});
