// The credential steps of Add Profile… for the kinds other than an AccessKey: a RAM role assumed
// with an AccessKey (through STS), the ECS instance's RAM role, an OIDC role (a token file, as on
// ACK with RRSA), or a credentials URI. Secrets (the base AccessKey secret, the URI) are asked with
// a password box and go to SecretStorage with the profile.
import * as vscode from 'vscode';
import type { CredentialKind } from '../../../oss/types.js';
import { kindLabel, type ProfileMeta, type ProfileSecret } from '../../profiles/profile.js';
import {
  checkAccessKeyId,
  checkHttpUrl,
  checkOidcProviderArn,
  checkRoleArn,
  checkRoleSessionName,
  checkSecret,
  problemOf,
} from '../../profiles/profileInput.js';

export type CredentialFields = Pick<ProfileMeta, 'kind' | 'accessKeyId' | 'role' | 'ecsRoleName' | 'oidcProviderArn' | 'oidcTokenFile'>;

export interface CredentialStepsResult {
  fields: CredentialFields;
  secret: ProfileSecret;
}

type KindItem = vscode.QuickPickItem & { credential: CredentialKind };

function kindItems(): KindItem[] {
  return [
    { label: kindLabel('accessKey'), description: vscode.l10n.t('an AccessKey ID and secret, optionally with an STS token'), credential: 'accessKey' },
    { label: kindLabel('ramRoleArn'), description: vscode.l10n.t('assume a RAM role through STS with an AccessKey; renewed before it expires'), credential: 'ramRoleArn' },
    { label: kindLabel('ecsRamRole'), description: vscode.l10n.t('the RAM role of this ECS instance, from its metadata service'), credential: 'ecsRamRole' },
    { label: kindLabel('oidcRoleArn'), description: vscode.l10n.t('assume a RAM role with an OIDC token file (ACK RRSA)'), credential: 'oidcRoleArn' },
    { label: kindLabel('credentialsUri'), description: vscode.l10n.t('a service that hands out temporary credentials'), credential: 'credentialsUri' },
  ];
}

/** The kind quick pick; undefined when cancelled. */
export async function askKind(title: string): Promise<CredentialKind | undefined> {
  const picked = await vscode.window.showQuickPick(kindItems(), { title, placeHolder: vscode.l10n.t('How does this profile get its credentials?'), ignoreFocusOut: true });
  return picked?.credential;
}

/** The steps of one kind other than AccessKey; undefined when cancelled. `form` is the form's title ("Add OSS Profile"). */
export async function askCredentials(kind: Exclude<CredentialKind, 'accessKey' | 'stsToken'>, form: string): Promise<CredentialStepsResult | undefined> {
  const counts: Record<typeof kind, number> = { ramRoleArn: 5, ecsRamRole: 1, oidcRoleArn: 4, credentialsUri: 1 };
  let n = 0;
  const ask = (options: vscode.InputBoxOptions): Thenable<string | undefined> =>
    vscode.window.showInputBox({ ...options, title: vscode.l10n.t('{0}: {1} ({2}/{3})', form, kindLabel(kind), ++n, counts[kind]), ignoreFocusOut: true });

  switch (kind) {
    case 'ramRoleArn': {
      const id = await ask({
        prompt: vscode.l10n.t('AccessKey ID the role is assumed with (a RAM user allowed sts:AssumeRole)'),
        placeHolder: 'LTAI…',
        validateInput: (v) => problemOf(() => checkAccessKeyId(v)),
      });
      if (id === undefined) return undefined;
      const secret = await ask({
        prompt: vscode.l10n.t('Its AccessKey secret (kept in the system keychain, never in settings)'),
        password: true,
        validateInput: (v) => problemOf(() => checkSecret(v)),
      });
      if (secret === undefined) return undefined;
      const arn = await ask({ prompt: vscode.l10n.t('Role ARN'), placeHolder: 'acs:ram::1234567890123456:role/role-name', validateInput: (v) => problemOf(() => checkRoleArn(v)) });
      if (arn === undefined) return undefined;
      const session = await ask({
        prompt: vscode.l10n.t("Role session name, shown in the role's audit trail — optional"),
        placeHolder: 'oss-transfer',
        validateInput: (v) => problemOf(() => checkRoleSessionName(v)),
      });
      if (session === undefined) return undefined;
      const sts = await ask({
        prompt: vscode.l10n.t('STS endpoint — leave empty for {0}', 'sts.aliyuncs.com'),
        placeHolder: 'https://sts.cn-hangzhou.aliyuncs.com',
        validateInput: (v) => problemOf(() => checkHttpUrl(v, 'stsEndpoint', true)),
      });
      if (sts === undefined) return undefined;
      const roleSessionName = checkRoleSessionName(session);
      const stsEndpoint = checkHttpUrl(sts, 'stsEndpoint', true);
      return {
        fields: { kind, accessKeyId: checkAccessKeyId(id), role: { roleArn: checkRoleArn(arn), ...(roleSessionName ? { roleSessionName } : {}), ...(stsEndpoint ? { stsEndpoint } : {}) } },
        secret: { accessKeySecret: checkSecret(secret) },
      };
    }
    case 'ecsRamRole': {
      const role = await ask({ prompt: vscode.l10n.t('Name of the RAM role attached to this ECS instance — leave empty to ask the metadata service'), placeHolder: 'EcsOssRole' });
      if (role === undefined) return undefined;
      return { fields: { kind, ...(role.trim() ? { ecsRoleName: role.trim() } : {}) }, secret: {} };
    }
    case 'oidcRoleArn': {
      const arn = await ask({ prompt: vscode.l10n.t('Role ARN'), placeHolder: 'acs:ram::1234567890123456:role/role-name', validateInput: (v) => problemOf(() => checkRoleArn(v)) });
      if (arn === undefined) return undefined;
      const provider = await ask({
        prompt: vscode.l10n.t('OIDC provider ARN'),
        placeHolder: 'acs:ram::1234567890123456:oidc-provider/name',
        validateInput: (v) => problemOf(() => checkOidcProviderArn(v)),
      });
      if (provider === undefined) return undefined;
      const file = await ask({
        prompt: vscode.l10n.t('Path of the file holding the OIDC token'),
        placeHolder: '/var/run/secrets/ack.alibabacloud.com/rrsa-tokens/token',
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the token file path.')),
      });
      if (file === undefined) return undefined;
      const session = await ask({ prompt: vscode.l10n.t('Role session name — optional'), placeHolder: 'oss-transfer', validateInput: (v) => problemOf(() => checkRoleSessionName(v)) });
      if (session === undefined) return undefined;
      const roleSessionName = checkRoleSessionName(session);
      return {
        fields: { kind, role: { roleArn: checkRoleArn(arn), ...(roleSessionName ? { roleSessionName } : {}) }, oidcProviderArn: checkOidcProviderArn(provider), oidcTokenFile: file.trim() },
        secret: {},
      };
    }
    case 'credentialsUri': {
      const uri = await ask({
        prompt: vscode.l10n.t('Credentials URI (kept in the system keychain: it may carry a token)'),
        password: true,
        placeHolder: 'http://127.0.0.1:6666/credentials',
        validateInput: (v) => problemOf(() => checkHttpUrl(v, 'credentialsUri')),
      });
      if (uri === undefined) return undefined;
      return { fields: { kind }, secret: { credentialsUri: checkHttpUrl(uri, 'credentialsUri')! } };
    }
  }
}
