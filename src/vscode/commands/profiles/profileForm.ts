// The add / edit profile steps: name, region or endpoint, how it gets credentials (a new profile:
// AccessKey, or one of the kinds in credentialSteps.ts), AccessKey ID, secret, optional STS token,
// signature version; for an endpoint that is neither Alibaba Cloud's nor local, also whether it is a
// custom domain bound to a bucket, and the region for signing. Every value is trimmed and checked as
// it is typed; Escape cancels everything.
import * as vscode from 'vscode';
import { isIpOrLocalhost, parseEndpoint } from '../../../oss/endpoint.js';
import type { SignatureVersion } from '../../../oss/types.js';
import type { Profile, ProfileMeta, ProfileSecret } from '../../profiles/profile.js';
import { askCredentials, askKind, type CredentialFields } from './credentialSteps.js';
import {
  checkAccessKeyId,
  checkCustomDomainBucket,
  checkProfileName,
  checkRegion,
  checkSecret,
  mayBeCustomDomain,
  parseRegionOrEndpoint,
  problemOf,
} from '../../profiles/profileInput.js';

export interface ProfileFormResult {
  meta: Omit<ProfileMeta, 'id'>;
  /** Undefined when editing and the user kept the stored secret. */
  secret?: ProfileSecret;
}

interface Step {
  title: string;
}

async function ask(step: Step, options: vscode.InputBoxOptions): Promise<string | undefined> {
  return vscode.window.showInputBox({ ...options, title: step.title, ignoreFocusOut: true });
}

/** Runs the form; undefined when cancelled. `existing` pre-fills it for Edit Profile. */
export async function profileForm(otherNames: readonly string[], defaultSignature: SignatureVersion, existing?: Profile): Promise<ProfileFormResult | undefined> {
  const form = existing ? vscode.l10n.t('Edit OSS Profile') : vscode.l10n.t('Add OSS Profile');
  let n = 0;
  // A new profile has one step more: how it gets its credentials.
  const total = existing ? 6 : 7;
  const step = (): Step => ({ title: vscode.l10n.t('{0} ({1}/{2})', form, ++n, total) });

  const nameRaw = await ask(step(), {
    prompt: vscode.l10n.t('A name for this profile'),
    value: existing?.name ?? (otherNames.length ? '' : vscode.l10n.t('Default')),
    placeHolder: vscode.l10n.t('e.g. Production'),
    validateInput: (v) => problemOf(() => checkProfileName(v, otherNames)),
  });
  if (nameRaw === undefined) return undefined;
  const name = checkProfileName(nameRaw, otherNames);

  const locRaw = await ask(step(), {
    prompt: vscode.l10n.t('Region (cn-hangzhou) or endpoint URL (https://oss-cn-hangzhou.aliyuncs.com, http://127.0.0.1:9000)'),
    value: existing?.endpoint ?? existing?.region ?? '',
    placeHolder: 'cn-hangzhou',
    validateInput: (v) => problemOf(() => parseRegionOrEndpoint(v)),
  });
  if (locRaw === undefined) return undefined;
  const location = parseRegionOrEndpoint(locRaw);
  let customDomainBucket: string | undefined;
  if (mayBeCustomDomain(location.endpoint)) {
    // A custom domain serves one bucket with no bucket name in the host: it must be told which.
    const bucketRaw = await ask(
      { title: vscode.l10n.t('{0}: custom domain', form) },
      {
        prompt: vscode.l10n.t("Is this a custom domain bound to one bucket (CNAME)? Enter that bucket's name; leave empty for a proxy or gateway that serves every bucket"),
        value: existing?.customDomainBucket ?? '',
        placeHolder: vscode.l10n.t('my-bucket (empty: not a custom domain)'),
        validateInput: (v) => problemOf(() => checkCustomDomainBucket(v)),
      },
    );
    if (bucketRaw === undefined) return undefined;
    customDomainBucket = checkCustomDomainBucket(bucketRaw);
    // A custom domain or proxy cannot tell its region; V4 signing needs one.
    if (!location.region) {
      const regionRaw = await ask(
        { title: vscode.l10n.t('{0}: region for signing', form) },
        {
          prompt: customDomainBucket
            ? vscode.l10n.t('Region of bucket {0}, used by Signature V4 (leave empty only for Signature V1)', customDomainBucket)
            : vscode.l10n.t('Region of the bucket(s) behind this endpoint, used by Signature V4 (leave empty only for Signature V1)'),
          value: existing?.region ?? '',
          placeHolder: 'cn-hangzhou',
          validateInput: (v) => (v.trim() === '' ? undefined : problemOf(() => checkRegion(v))),
        },
      );
      if (regionRaw === undefined) return undefined;
      if (regionRaw.trim()) location.region = checkRegion(regionRaw);
    }
  }

  // Edit Profile changes AccessKey profiles only; a new profile may use any kind.
  const kind = existing ? 'accessKey' : await askKind(step().title);
  if (!kind) return undefined;
  let credentials: { fields: CredentialFields; secret?: ProfileSecret };
  let signatureTitle: string;
  if (kind === 'accessKey' || kind === 'stsToken') {
    const keys = await askAccessKey(step, existing);
    if (!keys) return undefined;
    credentials = keys;
    signatureTitle = step().title;
  } else {
    const other = await askCredentials(kind, form);
    if (!other) return undefined;
    credentials = other;
    signatureTitle = vscode.l10n.t('{0}: signature version', form);
  }

  const choices: (vscode.QuickPickItem & { value: SignatureVersion | undefined })[] = [
    { label: vscode.l10n.t('Use the setting ({0})', defaultSignature.toUpperCase()), description: 'ossTransfer.signatureVersion', value: undefined },
    { label: vscode.l10n.t('Signature V4'), description: vscode.l10n.t('OSS4-HMAC-SHA256, recommended'), value: 'v4' },
    { label: vscode.l10n.t('Signature V1'), description: vscode.l10n.t('HMAC-SHA1, for older endpoints and compatible servers'), value: 'v1' },
  ];
  const current = choices.find((c) => c.value === existing?.signatureVersion) ?? choices[0]!;
  const sig = await new Promise<(typeof choices)[number] | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick<(typeof choices)[number]>();
    qp.title = signatureTitle;
    qp.placeholder = vscode.l10n.t('Signature version');
    qp.items = choices;
    qp.activeItems = [current];
    qp.ignoreFocusOut = true;
    let picked: (typeof choices)[number] | undefined;
    qp.onDidAccept(() => {
      picked = qp.selectedItems[0] ?? qp.activeItems[0];
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(picked);
    });
    qp.show();
  });
  if (!sig) return undefined;

  const meta: Omit<ProfileMeta, 'id'> = { name, ...location, ...credentials.fields };
  if (customDomainBucket) meta.customDomainBucket = customDomainBucket;
  if (sig.value) meta.signatureVersion = sig.value;
  if (!meta.region && (sig.value ?? defaultSignature) === 'v4' && meta.endpoint && !isIpOrLocalhost(parseEndpoint(meta.endpoint).hostname)) {
    throw new Error(vscode.l10n.t('Signature V4 needs a region for this endpoint. Run the command again and enter the region, or choose Signature V1.'));
  }
  return credentials.secret ? { meta, secret: credentials.secret } : { meta };
}

/** The AccessKey steps: ID, secret (empty keeps the stored one when editing), optional STS token. */
async function askAccessKey(step: () => Step, existing: Profile | undefined): Promise<{ fields: CredentialFields; secret?: ProfileSecret } | undefined> {
  const idRaw = await ask(step(), {
    prompt: vscode.l10n.t('AccessKey ID'),
    value: existing?.accessKeyId ?? '',
    placeHolder: 'LTAI…',
    validateInput: (v) => problemOf(() => checkAccessKeyId(v)),
  });
  if (idRaw === undefined) return undefined;
  const accessKeyId = checkAccessKeyId(idRaw);

  const secretRaw = await ask(step(), {
    prompt: existing
      ? vscode.l10n.t('AccessKey secret — leave empty to keep the stored one (kept in the system keychain, never in settings)')
      : vscode.l10n.t('AccessKey secret (kept in the system keychain, never in settings)'),
    password: true,
    validateInput: (v) => (existing && v.trim() === '' ? undefined : problemOf(() => checkSecret(v))),
  });
  if (secretRaw === undefined) return undefined;

  const tokenRaw = await ask(step(), {
    prompt: existing
      ? vscode.l10n.t('STS security token — optional; leave empty for none (or to keep the stored one when the secret is kept)')
      : vscode.l10n.t('STS security token — optional, only for temporary credentials; leave empty for none'),
    password: true,
    validateInput: (v) => (v.trim() === '' ? undefined : problemOf(() => checkSecret(v, 'stsToken'))),
  });
  if (tokenRaw === undefined) return undefined;

  const out: { fields: CredentialFields; secret?: ProfileSecret } = { fields: { accessKeyId } };
  if (secretRaw.trim()) {
    out.secret = { accessKeySecret: checkSecret(secretRaw) };
    if (tokenRaw.trim()) out.secret.securityToken = checkSecret(tokenRaw, 'stsToken');
  } else if (tokenRaw.trim()) {
    throw new Error(vscode.l10n.t('Enter the AccessKey secret together with a new STS token: temporary credentials come as a set.'));
  }
  return out;
}
