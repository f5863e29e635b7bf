// XML reading for OSS responses. The reader (xmlTree.ts) keeps every value a string (a key "007" or
// "1e3", an ETag of digits, must never become a number) and the helpers below turn the loose
// object into typed fields, so single-vs-repeated elements are handled in one place.
import { XmlSyntaxError, parseXmlTree } from './xmlTree.js';

export type XmlNode = { [name: string]: unknown };

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The five XML entities plus decimal/hex character references; anything else is left as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

/** A malformed or unexpected response document. The client turns it into OssError 'InvalidResponse'. */
export class XmlShapeError extends Error {
  override readonly name = 'XmlShapeError';
}

/** Parses a document and returns its root element's name and content. */
export function parseXmlRoot(text: string): { name: string; node: XmlNode } {
  let doc: unknown;
  try {
    doc = parseXmlTree(text, decodeXmlEntities);
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    throw new XmlShapeError(`response is not well-formed XML: ${e.message}`);
  }
  if (typeof doc !== 'object' || doc === null) throw new XmlShapeError('response XML has no root element');
  const names = Object.keys(doc).filter((n) => !n.startsWith('?') && !n.startsWith('#'));
  if (names.length !== 1) throw new XmlShapeError(`response XML has ${names.length} root elements`);
  const name = names[0]!;
  const raw = (doc as XmlNode)[name];
  // `<Root/>` or `<Root></Root>` parses to '' - an element with no children.
  const node: XmlNode = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as XmlNode) : {};
  return { name, node };
}

/** Parses a document whose root must be `expected`. */
export function parseXmlExpecting(text: string, expected: string): XmlNode {
  const root = parseXmlRoot(text);
  if (root.name !== expected) throw new XmlShapeError(`expected <${expected}> in the response, got <${root.name}>`);
  return root.node;
}

/** Zero, one or many children of the same name, always as an array. */
export function childArray(node: XmlNode | undefined, name: string): unknown[] {
  const v = node?.[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A child element's content as an object (an empty element gives {}). */
export function childNode(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const v = node?.[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return asNode(v[0]);
  return asNode(v);
}

export function asNode(v: unknown): XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as XmlNode) : {};
}

/** A leaf's text; undefined when absent. A repeated leaf is a shape error. */
export function optText(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) throw new XmlShapeError(`<${name}> appears more than once`);
  if (typeof v === 'object' && Object.keys(v).length === 0) return '';
  // An element with children where text was expected.
  throw new XmlShapeError(`<${name}> is not a text element`);
}

export function reqText(node: XmlNode | undefined, name: string): string {
  const v = optText(node, name);
  if (v === undefined) throw new XmlShapeError(`<${name}> is missing from the response`);
  return v;
}

/** A non-negative integer leaf (sizes, counts, part numbers). */
export function optInt(node: XmlNode | undefined, name: string): number | undefined {
  const v = optText(node, name);
  if (v === undefined || v.trim() === '') return undefined;
  const t = v.trim();
  if (!/^\d+$/.test(t)) throw new XmlShapeError(`<${name}> is not a non-negative integer: ${JSON.stringify(v)}`);
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new XmlShapeError(`<${name}> is too large: ${t}`);
  return n;
}

export function reqInt(node: XmlNode | undefined, name: string): number {
  const v = optInt(node, name);
  if (v === undefined) throw new XmlShapeError(`<${name}> is missing from the response`);
  return v;
}

/** 'true' / 'false' (case-insensitive); a missing element means false, as OSS omits it when not truncated. */
export function optBool(node: XmlNode | undefined, name: string): boolean {
  const v = optText(node, name);
  if (v === undefined || v.trim() === '') return false;
  const t = v.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new XmlShapeError(`<${name}> is not a boolean: ${JSON.stringify(v)}`);
}

/** Undoes encoding-type=url (percent-encoding, '%20' for space; '+' is literal). */
export function urlDecodeField(value: string, field: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new XmlShapeError(`<${field}> is not valid percent-encoding: ${JSON.stringify(value)}`);
  }
}
