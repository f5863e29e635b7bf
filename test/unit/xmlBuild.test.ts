import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCompleteBody, buildCreateBucketBody, buildDeleteBody, canCarryInXml, xmlEscape } from '../../src/oss/xml/xmlBuild.js';
import { parseXmlRoot, childArray, asNode, reqText } from '../../src/oss/xml/xmlParse.js';

test('xmlEscape escapes markup characters and CR', () => {
  assert.equal(xmlEscape(`a&b<c>d"e'f\rg`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g');
  assert.equal(xmlEscape('plain é 😀'), 'plain é 😀');
});

test('delete body round-trips tricky keys through a real XML parser', () => {
  const keys = ['a b', 'a+b', '100%', '%20', '<&>"\'', 'é/😀', '..', 'a//b', ' lead', 'trail ', 'cr\rlf\n', '007', '1e3'];
  const xml = buildDeleteBody(keys, true);
  const root = parseXmlRoot(xml);
  assert.equal(root.name, 'Delete');
  assert.equal(reqText(root.node, 'Quiet'), 'true');
  assert.deepEqual(childArray(root.node, 'Object').map((o) => reqText(asNode(o), 'Key')), keys);
  assert.match(buildDeleteBody(['k'], false), /<Quiet>false<\/Quiet>/);
});

test('keys XML cannot carry are refused with a clear message', () => {
  assert.equal(canCarryInXml('ok\t\n'), true);
  assert.equal(canCarryInXml('bell\u0007'), false);
  assert.equal(canCarryInXml('\uD800'), false);
  assert.throws(() => buildDeleteBody(['fine', 'nul\u0000'], false), /XML cannot carry/);
});

test('complete body keeps the given order and escapes ETags', () => {
  const xml = buildCompleteBody([
    { partNumber: 2, etag: '"B"' },
    { partNumber: 1, etag: '"A"' },
  ]);
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>' +
      '<Part><PartNumber>2</PartNumber><ETag>&quot;B&quot;</ETag></Part>' +
      '<Part><PartNumber>1</PartNumber><ETag>&quot;A&quot;</ETag></Part></CompleteMultipartUpload>',
  );
  assert.match(buildCreateBucketBody('IA'), /<StorageClass>IA<\/StorageClass>/);
});
