// Builds the XML bodies OSS answers with. Object properties become child elements in insertion
// order, arrays become repeated elements, undefined is left out.

export type XmlValue = string | number | boolean | bigint | XmlNode | XmlValue[] | undefined;
export interface XmlNode {
  [name: string]: XmlValue;
}

/** Escapes element text. Quotes stay literal, as OSS writes ETags: <ETag>"5B3C..."</ETag>. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function element(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) element(name, v, out);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

export function xmlDocument(root: string, body: XmlNode | string): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  element(root, body, out);
  return out.join('');
}
