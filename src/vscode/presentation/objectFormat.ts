// How objects are described in the tree: sizes in binary units, dates in local time, storage
// classes and ETags as OSS sends them. No vscode import: unit-tested directly.
import { formatBytes } from './quantityFormat.js';
import { t } from './translate.js';

/** Local time `YYYY-MM-DD HH:MM`; the input as given when it is not a date. */
export function formatDateTime(isoOrDate: string | Date): string {
  const d = typeof isoOrDate === 'string' ? new Date(isoOrDate) : isoOrDate;
  if (Number.isNaN(d.getTime())) return String(isoOrDate);
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "1.2 MiB · 2024-05-18 13:45" */
export function objectDescription(size: number, lastModified: string): string {
  return `${formatBytes(size)} · ${formatDateTime(lastModified)}`;
}

/** 1234567 -> "1,234,567" without depending on the host locale. */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Markdown-safe inline code (backticks in keys cannot break out of the span). */
export function inlineCode(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${s} ${fence}`;
}

export interface ObjectFacts {
  key: string;
  size: number;
  lastModified: string;
  etag?: string;
  storageClass?: string;
  type?: string;
  crc64?: string;
  contentType?: string;
}

/** Lines of the object tooltip (Markdown); CRC-64 and content type appear once known (HEAD). */
export function objectTooltipLines(f: ObjectFacts, crcPending: boolean): string[] {
  const lines = [
    `**${inlineCode(f.key)}**`,
    t('Size: {0} bytes ({1})', groupDigits(f.size), formatBytes(f.size)),
    t('Modified: {0}', formatDateTime(f.lastModified)),
  ];
  if (f.etag) lines.push(t('ETag: {0}', inlineCode(f.etag)));
  if (f.storageClass) lines.push(t('Storage class: {0}', f.storageClass));
  if (f.type) lines.push(t('Object type: {0}', f.type));
  if (f.contentType) lines.push(t('Content type: {0}', inlineCode(f.contentType)));
  if (f.crc64) lines.push(t('CRC-64: {0}', inlineCode(f.crc64)));
  else if (crcPending) lines.push(t('CRC-64: loading…'));
  return lines;
}
