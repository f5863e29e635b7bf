// The RPC signature STS AssumeRole is signed with, against the worked example of Alibaba Cloud's
// RPC signature documentation (ECS DescribeRegions, AccessKey secret "testsecret").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rpcPercentEncode, rpcSignature, rpcStringToSign, rpcTimestamp } from '../../src/oss/credentials/rpcSignature.js';

const documented: Record<string, string> = {
  // Deliberately out of order: the canonical query sorts them.
  Version: '2014-05-26',
  Timestamp: '2016-02-23T12:46:24Z',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  AccessKeyId: 'testid',
  SignatureVersion: '1.0',
  SignatureMethod: 'HMAC-SHA1',
};

test('the documented example: string to sign and signature', () => {
  assert.equal(
    rpcStringToSign('GET', documented),
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
      '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
      '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  );
  assert.equal(rpcSignature('GET', documented, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
});

test('a Signature parameter already present is not signed over', () => {
  assert.equal(rpcSignature('GET', { ...documented, Signature: 'x' }, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
});

test('percent-encoding keeps only A-Z a-z 0-9 - _ . ~ and encodes UTF-8 bytes', () => {
  assert.equal(rpcPercentEncode("a b!'()*~-_."), "a%20b%21%27%28%29%2A~-_.");
  assert.equal(rpcPercentEncode('acs:ram::123:role/x'), 'acs%3Aram%3A%3A123%3Arole%2Fx');
  assert.equal(rpcPercentEncode('角色'), '%E8%A7%92%E8%89%B2');
});

test('the method and the secret change the signature', () => {
  assert.notEqual(rpcSignature('POST', documented, 'testsecret'), rpcSignature('GET', documented, 'testsecret'));
  assert.notEqual(rpcSignature('GET', documented, 'othersecret'), rpcSignature('GET', documented, 'testsecret'));
});

test('timestamps are UTC whole seconds', () => {
  assert.equal(rpcTimestamp(new Date(Date.UTC(2015, 3, 9, 11, 52, 19, 456))), '2015-04-09T11:52:19Z');
});
