// Where images pasted or dropped into Markdown go: a profile (by name), a bucket, a folder and the
// kind of link, kept in the workspace setting ossTransfer.imageUpload.target. It never holds a
// secret: the profile is named, its AccessKey stays in SecretStorage. No vscode import.
import { describeSeconds, parseExpiry } from '../commands/clipboard/expiry.js';
import { normalizePrefix } from '../../transfer/paths/keyPath.js';
import { parseCustomDomain, type ImageLink } from './imageLink.js';
import { t } from '../presentation/translate.js';

export const TARGET_SETTING = 'imageUpload.target';
export const DEFAULT_EXPIRY = '7d';

export interface ImageTarget {
  /** The profile's name, as the Buckets tree shows it (names are what a person reads in settings.json). */
  profile: string;
  bucket: string;
  /** '' for the bucket root, else ending in '/'. */
  prefix: string;
  link: ImageLink;
}

/** The setting's JSON: what settings.json holds. */
export interface ImageTargetSetting {
  profile: string;
  bucket: string;
  prefix: string;
  link: ImageLink['kind'];
  /** For presigned links: how long they work ("7d", "12h"). */
  expiry?: string;
  /** For custom-domain links: the domain (and optional path) serving the bucket. */
  domain?: string;
}

export type TargetReading = { target: ImageTarget } | { none: true } | { problem: string };

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Reads the setting's value; an absent or empty one means no target; a broken one says what is wrong. */
export function readImageTarget(raw: unknown): TargetReading {
  if (raw === undefined || raw === null) return { none: true };
  // Each problem is said after the setting's name ("Setting ossTransfer.imageUpload.target has no …").
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problem: t('is not an object with profile, bucket, prefix and link') };
  const o = raw as Record<string, unknown>;
  if (Object.keys(o).length === 0) return { none: true };
  const profile = text(o.profile);
  if (!profile) return { problem: t('has no "profile" (the name of an OSS profile)') };
  const bucket = text(o.bucket);
  if (!bucket) return { problem: t('has no "bucket"') };
  if (o.prefix !== undefined && typeof o.prefix !== 'string') return { problem: t('"prefix" is not a string') };
  const prefix = normalizePrefix((o.prefix as string | undefined) ?? '');
  if (prefix.split('/').slice(0, -1).some((s) => s === '' || s === '.' || s === '..')) return { problem: t('"prefix" {0} has an empty, "." or ".." folder', JSON.stringify(o.prefix)) };
  const kind = o.link ?? 'public';
  switch (kind) {
    case 'public':
      return { target: { profile, bucket, prefix, link: { kind: 'public' } } };
    case 'customDomain': {
      const domain = text(o.domain);
      if (!domain) return { problem: t('has "link": "customDomain" but no "domain"') };
      try {
        return { target: { profile, bucket, prefix, link: { kind: 'customDomain', ...parseCustomDomain(domain) } } };
      } catch (e) {
        return { problem: t('"domain": {0}', (e as Error).message) };
      }
    }
    case 'presigned': {
      if (o.expiry !== undefined && typeof o.expiry !== 'string' && typeof o.expiry !== 'number') return { problem: t('"expiry" is not a duration such as "7d"') };
      try {
        return { target: { profile, bucket, prefix, link: { kind: 'presigned', expiresSeconds: parseExpiry(String(o.expiry ?? DEFAULT_EXPIRY)) } } };
      } catch (e) {
        return { problem: t('"expiry": {0}', (e as Error).message) };
      }
    }
    default:
      return { problem: t('"link" is {0}, not "public", "customDomain" or "presigned"', JSON.stringify(kind)) };
  }
}

/** The setting's JSON for a target (what the Set Image Upload Target command writes). */
export function imageTargetSetting(t: ImageTarget): ImageTargetSetting {
  const out: ImageTargetSetting = { profile: t.profile, bucket: t.bucket, prefix: t.prefix, link: t.link.kind };
  if (t.link.kind === 'presigned') out.expiry = compactDuration(t.link.expiresSeconds);
  if (t.link.kind === 'customDomain') out.domain = t.link.origin + t.link.basePath;
  return out;
}

/** 604800 -> "7d", 5400 -> "1h30m", 90 -> "1m30s": what parseExpiry reads back. */
export function compactDuration(seconds: number): string {
  let rest = seconds;
  let out = '';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) out += `${n}${unit}`;
  }
  return out || '0s';
}

/** "presigned links valid 7 days" / "public URLs" / "links on https://img.example.com". */
export function describeLink(link: ImageLink): string {
  switch (link.kind) {
    case 'public':
      return t('public URLs');
    case 'customDomain':
      return t('links on {0}', `${link.origin}${link.basePath}`);
    case 'presigned':
      return t('presigned links valid {0}', describeSeconds(link.expiresSeconds));
  }
}

/** "oss://bucket/folder/ (profile), presigned links valid 7 days". */
export function describeTarget(t: ImageTarget): string {
  return `oss://${t.bucket}/${t.prefix} (${t.profile}), ${describeLink(t.link)}`;
}

/** The target names a profile this machine does not have (settings travel with the workspace, profiles do not). */
export class TargetProfileMissingError extends Error {
  readonly code = 'ImageTargetProfileMissing';
  readonly nextStep = t('Run "OSS: Set Image Upload Target…" to choose one of the profiles on this machine, or add a profile of that name.');
  constructor(profile: string) {
    super(t('The image upload target names profile "{0}", which does not exist on this machine', profile));
    this.name = 'TargetProfileMissingError';
  }
}
