import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { OssClient } from '../../src/oss/client/ossClient.js';

// Anything that logs or serialises a client (a debug print, an error report) must not carry the secret.
test('the secret and STS token are not visible through inspect, JSON or spreading a client', () => {
  const client = new OssClient({
    endpoint: 'http://127.0.0.1:9',
    accessKeyId: 'AKID-visible',
    accessKeySecret: 'very-secret-value',
    securityToken: 'sts-token-value',
  });
  try {
    const views = [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client), inspect({ ...client }, { depth: 10 })];
    for (const v of views) {
      assert.doesNotMatch(v, /very-secret-value/);
      assert.doesNotMatch(v, /sts-token-value/);
    }
  } finally {
    void client.close();
  }
});
