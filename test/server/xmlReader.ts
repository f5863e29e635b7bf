// Parses the small XML request bodies (CompleteMultipartUpload, Delete, CreateBucketConfiguration).
import { XMLParser } from 'fast-xml-parser';
import { malformedXml } from './ossServerError.js';

const REPEATED = new Set(['Part', 'Object']);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // keys like "007" must stay strings
  trimValues: false, // keys may start or end with spaces
  htmlEntities: true, // numeric character references (&#x1F600;) in XML-escaped keys
  isArray: (name) => REPEATED.has(name),
});

export type ParsedXml = Record<string, unknown>;

export function parseXmlBody(body: Buffer, root: string): ParsedXml {
  let doc: unknown;
  try {
    doc = parser.parse(body.toString('utf8'), true);
  } catch (e) {
    throw malformedXml(`The XML you provided was not well-formed: ${(e as Error).message}`);
  }
  const top = (doc as Record<string, unknown>)[root];
  if (top === undefined) throw malformedXml(`The XML you provided has no <${root}> root element.`);
  // <Root/> parses as '' — treat as an empty element
  return typeof top === 'object' && top !== null ? (top as ParsedXml) : {};
}

/** A child element's text; numbers never appear because parseTagValue is off. */
export function xmlText(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object' && Object.keys(node).length === 0) return '';
  return undefined;
}

export function xmlList(node: unknown): unknown[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}
