import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OssClient } from '../../src/oss/index.js';
import { imageUrl, markdownImage, parseCustomDomain, type LinkSource } from '../../src/vscode/markdown/imageLink.js';

const at = new Date(Date.UTC(2026, 4, 4, 9, 0, 0));
const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };

function sourceFor(client: OssClient, bucket: string, customDomainBucket?: string): LinkSource {
  return {
    bucketEndpoint: client.bucketEndpoint(bucket),
    customDomainBucket,
    presign: (key, expiresSeconds) => client.presignUrl({ bucket, key, method: 'GET', expiresSeconds }),
  };
}

const awkwardKey = 'docs/img (1)/a b#c?d%e+f[g]&h=ü.png';
const awkwardPath = 'docs/img%20%281%29/a%20b%23c%3Fd%25e%2Bf%5Bg%5D%26h%3D%C3%BC.png';

test('a public link is the object address on the bucket\'s endpoint, every key character that matters escaped', () => {
  const client = new OssClient({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', ...creds });
  const url = imageUrl({ kind: 'public' }, 'photos', awkwardKey, sourceFor(client, 'photos'));
  assert.equal(url, `https://photos.oss-cn-hangzhou.aliyuncs.com/${awkwardPath}`);
  assert.equal(new URL(url).pathname, `/${awkwardPath}`, 'a URL parser reads the same path: nothing was taken as query or fragment');
  const local = new OssClient({ endpoint: 'http://127.0.0.1:9000', ...creds });
  assert.equal(imageUrl({ kind: 'public' }, 'photos', 'a/b.png', sourceFor(local, 'photos')), 'http://127.0.0.1:9000/photos/a/b.png');
});

test('a custom domain link is <domain>[/base]/<key>, https unless said otherwise', () => {
  const client = new OssClient({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', ...creds });
  const src = sourceFor(client, 'photos');
  assert.equal(imageUrl({ kind: 'customDomain', ...parseCustomDomain('img.example.com') }, 'photos', awkwardKey, src), `https://img.example.com/${awkwardPath}`);
  assert.equal(imageUrl({ kind: 'customDomain', ...parseCustomDomain('http://cdn.example.com:8080/assets/') }, 'photos', 'x.png', src), 'http://cdn.example.com:8080/assets/x.png');
  assert.deepEqual(parseCustomDomain('  HTTPS://Img.Example.com  '), { origin: 'https://img.example.com', basePath: '' });
  assert.throws(() => parseCustomDomain(''), /Enter the domain/);
  assert.throws(() => parseCustomDomain('ftp://img.example.com'), /http or https/);
  assert.throws(() => parseCustomDomain('https://u:p@img.example.com'), /user name or password/);
  assert.throws(() => parseCustomDomain('img.example.com/?x=1'), /query/);
  assert.throws(() => parseCustomDomain('intranet'), /not a full domain/);
});

test('through a custom-domain profile a public link is the profile\'s own domain', () => {
  const client = new OssClient({ endpoint: 'https://files.example.com', ...creds, cname: true, region: 'cn-hangzhou' });
  assert.equal(imageUrl({ kind: 'public' }, 'photos', 'a b.png', sourceFor(client, 'photos', 'photos')), 'https://files.example.com/a%20b.png');
});

test('a presigned V4 link carries the chosen expiry and the escaped key', () => {
  const client = new OssClient({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', ...creds, now: () => at });
  const url = new URL(imageUrl({ kind: 'presigned', expiresSeconds: 7 * 86400 }, 'photos', awkwardKey, sourceFor(client, 'photos')));
  assert.equal(url.origin, 'https://photos.oss-cn-hangzhou.aliyuncs.com');
  assert.equal(url.pathname, `/${awkwardPath}`);
  assert.equal(url.searchParams.get('x-oss-expires'), '604800');
  assert.equal(url.searchParams.get('x-oss-date'), '20260504T090000Z');
  assert.ok(url.searchParams.get('x-oss-signature'), 'the link is signed');
  const hour = new URL(imageUrl({ kind: 'presigned', expiresSeconds: 3600 }, 'photos', 'a.png', sourceFor(client, 'photos')));
  assert.equal(hour.searchParams.get('x-oss-expires'), '3600');
});

test('a presigned V1 link expires at now + the chosen seconds', () => {
  const client = new OssClient({ endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', ...creds, signatureVersion: 'v1', now: () => at });
  const url = new URL(imageUrl({ kind: 'presigned', expiresSeconds: 86400 }, 'photos', 'a.png', sourceFor(client, 'photos')));
  assert.equal(url.searchParams.get('Expires'), String(at.getTime() / 1000 + 86400));
});

test('the Markdown image is ![](url), and nothing in a URL can end the link early', () => {
  assert.equal(markdownImage('https://h/a.png'), '![](https://h/a.png)');
  assert.equal(markdownImage('https://h/a.png?x-oss-signature=ab%2Bc&x=1'), '![](https://h/a.png?x-oss-signature=ab%2Bc&x=1)');
  assert.equal(markdownImage('https://h/a (1).png'), '![](https://h/a%20%281%29.png)');
  assert.equal(markdownImage('https://h/<a>[b]\\.png'), '![](https://h/%3Ca%3E%5Bb%5D%5C.png)');
  assert.equal(markdownImage('https://h/a.png', 'a [b]\nc'), '![a \\[b\\] c](https://h/a.png)');
});
