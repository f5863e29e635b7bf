import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlSyntaxError, parseXmlTree } from '../../src/oss/xml/xmlTree.js';
import { decodeXmlEntities } from '../../src/oss/xml/xmlParse.js';

const parse = (s: string) => parseXmlTree(s, decodeXmlEntities);
/** Plain objects, for comparing trees whose nodes have no prototype. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

test('elements, text, repeats in order, empty elements, declaration, BOM, comments and PIs', () => {
  const doc = parse(
    '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by OSS -->\n<R a="1" b=\'2\'>' +
      '<K>  two  spaces </K><E/><F></F><L><I>1</I><I>2</I><?pi x?><I>3</I></L><One><I>x</I></One>' +
      '</R>\n<!-- trailing -->\n',
  );
  assert.deepEqual(plain(doc), { R: { K: '  two  spaces ', E: '', F: '', L: { I: ['1', '2', '3'] }, One: { I: 'x' } } });
});

test('entities are decoded in text, CDATA is taken as written, text beside children goes to #text', () => {
  const doc = parse('<R><K>a&amp;b&#x41;&lt;<![CDATA[&amp;<raw>]]>&gt;</K><M>hi<C/> there</M><W>\n  <C>1</C>\n</W></R>');
  assert.deepEqual(plain(doc), { R: { K: 'a&bA<&amp;<raw>>', M: { C: '', '#text': 'hi there' }, W: { C: '1' } } });
});

test('element names that are Object.prototype members stay plain children', () => {
  const doc = parse('<R><__proto__><polluted>yes</polluted></__proto__><constructor>c</constructor><toString/></R>');
  const r = doc.R as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(plain(r.__proto__), { polluted: 'yes' });
  assert.equal(r.constructor, 'c');
  assert.equal(r.toString, '');
});

test('documents that are not well-formed are refused with where', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /no root/],
    ['   ', /no root/],
    ['garbage', /text outside the root/],
    ['<A></B>', /<\/B> where <\/A> was expected/],
    ['<A><B></A>', /<\/A> where <\/B> was expected/],
    ['<A>', /<A> is not closed/],
    ['<A/><B/>', /second root/],
    ['<A/>tail', /text outside the root/],
    ['</A>', /without a start tag/],
    ['<A x=1/>', /without quotes/],
    ['<A x/>', /without a value/],
    ['<A x="1"y="2"/>', /separated by whitespace/],
    ['<A x="1/>', /unterminated attribute/],
    ['<A><!-- open</A>', /unterminated comment/],
    ['<A><![CDATA[x</A>', /unterminated CDATA/],
    ['<A>< B/></A>', /starts no tag/],
    ['<A><B</A>', /malformed start tag/],
    ['<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', /DOCTYPE/],
    ['<A><?pi</A>', /unterminated processing/],
  ];
  for (const [text, why] of bad) {
    assert.throws(() => parse(text), (e: unknown) => e instanceof XmlSyntaxError && why.test(e.message) && /at offset \d+/.test(e.message), text);
  }
});

test('a full 1000-key listing page reads in one pass', () => {
  let page = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name>';
  for (let i = 0; i < 1000; i++) page += `<Contents><Key>k%2F${i}</Key><Size>${i}</Size><ETag>"E${i}"</ETag></Contents>`;
  page += '</ListBucketResult>';
  const doc = parse(page) as { ListBucketResult: { Contents: Array<{ Key: string; Size: string }> } };
  assert.equal(doc.ListBucketResult.Contents.length, 1000);
  assert.deepEqual(plain(doc.ListBucketResult.Contents[999]), { Key: 'k%2F999', Size: '999', ETag: '"E999"' });
});
