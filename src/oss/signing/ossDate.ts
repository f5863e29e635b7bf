// The two date forms OSS uses: RFC 1123 (Date header, V1 x-oss-date) and ISO 8601 basic
// (V4 x-oss-date, yyyymmddTHHMMSSZ). Always UTC.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function assertValid(d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError('invalid Date');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** 20231216T162057Z */
export function formatIsoBasic(d: Date): string {
  assertValid(d);
  return (
    pad(d.getUTCFullYear(), 4) + pad(d.getUTCMonth() + 1, 2) + pad(d.getUTCDate(), 2) + 'T' +
    pad(d.getUTCHours(), 2) + pad(d.getUTCMinutes(), 2) + pad(d.getUTCSeconds(), 2) + 'Z'
  );
}

/** Wed, 28 Dec 2022 10:27:41 GMT */
export function formatRfc1123(d: Date): string {
  assertValid(d);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate(), 2)} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} GMT`
  );
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const RFC1123 = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

// Date.UTC silently rolls 31 Feb into March; rebuilding the fields catches such impossible dates.
function build(y: number, mon: number, day: number, h: number, min: number, s: number): Date | undefined {
  if (h > 23 || min > 59 || s > 59) return undefined;
  const d = new Date(Date.UTC(y, mon, day, h, min, s));
  if (d.getUTCFullYear() !== y || d.getUTCMonth() !== mon || d.getUTCDate() !== day) return undefined;
  return d;
}

/** Parses either form; undefined when malformed or impossible. The weekday name is not checked. */
export function parseOssDate(s: string): Date | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  let m = ISO_BASIC.exec(t);
  if (m) return build(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  m = RFC1123.exec(t);
  if (m) return build(+m[4], MONTHS.indexOf(m[3]), +m[2], +m[5], +m[6], +m[7]);
  return undefined;
}
