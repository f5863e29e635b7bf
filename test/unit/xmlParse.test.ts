import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseBucketInfo,
  parseCompleteMultipartUpload,
  parseCopyObject,
  parseDeleteResult,
  parseErrorDocument,
  parseInitiateMultipartUpload,
  parseListBuckets,
  parseListMultipartUploads,
  parseListObjectsV2,
  parseListParts,
} from '../../src/oss/xml/responseParsers.js';
import { XmlShapeError, decodeXmlEntities, parseXmlRoot } from '../../src/oss/xml/xmlParse.js';

const decl = '<?xml version="1.0" encoding="UTF-8"?>\n';

test('ListBuckets: one bucket (no array), paging fields absent means not truncated', () => {
  const r = parseListBuckets(
    decl +
      `<ListAllMyBucketsResult><Owner><ID>512</ID><DisplayName>512</DisplayName></Owner><Buckets>
        <Bucket><CreationDate>2014-02-17T18:12:43.000Z</CreationDate><ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint>
        <IntranetEndpoint>oss-cn-shanghai-internal.aliyuncs.com</IntranetEndpoint><Location>oss-cn-shanghai</Location>
        <Name>007</Name><StorageClass>Standard</StorageClass></Bucket>
      </Buckets></ListAllMyBucketsResult>`,
  );
  assert.equal(r.isTruncated, false);
  assert.equal(r.nextMarker, undefined);
  assert.deepEqual(r.owner, { id: '512', displayName: '512' });
  assert.deepEqual(r.buckets, [
    {
      name: '007',
      location: 'oss-cn-shanghai',
      region: 'cn-shanghai',
      creationDate: '2014-02-17T18:12:43.000Z',
      extranetEndpoint: 'oss-cn-shanghai.aliyuncs.com',
      intranetEndpoint: 'oss-cn-shanghai-internal.aliyuncs.com',
      storageClass: 'Standard',
    },
  ]);
});

test('ListBuckets: several buckets, Region element preferred, truncated with NextMarker, empty list', () => {
  const r = parseListBuckets(
    `<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><NextMarker>b</NextMarker><Buckets>
      <Bucket><Name>a</Name><Location>oss-cn-hangzhou</Location><Region>cn-hangzhou</Region><CreationDate>x</CreationDate></Bucket>
      <Bucket><Name>b</Name><Location>oss-us-west-1</Location><CreationDate>y</CreationDate></Bucket>
    </Buckets></ListAllMyBucketsResult>`,
  );
  assert.equal(r.isTruncated, true);
  assert.equal(r.nextMarker, 'b');
  assert.deepEqual(r.buckets.map((b) => [b.name, b.region]), [['a', 'cn-hangzhou'], ['b', 'us-west-1']]);
  assert.deepEqual(parseListBuckets('<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>').buckets, []);
  assert.deepEqual(parseListBuckets('<ListAllMyBucketsResult></ListAllMyBucketsResult>').buckets, []);
});

test('ListObjectsV2 with encoding-type=url: keys decoded, numbers-like keys and ETags stay strings', () => {
  const r = parseListObjectsV2(
    decl +
      `<ListBucketResult><Name>b1</Name><Prefix>dir%2F</Prefix><MaxKeys>2</MaxKeys><Delimiter>%2F</Delimiter>
      <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>dir%2F1e3</NextContinuationToken>
      <KeyCount>3</KeyCount>
      <Contents><Key>dir%2F007</Key><LastModified>2020-01-01T00:00:00.000Z</LastModified><ETag>"12345678901234567890123456789012"</ETag>
        <Type>Normal</Type><Size>0</Size><StorageClass>Standard</StorageClass></Contents>
      <Contents><Key>dir%2F1e3</Key><LastModified>t</LastModified><ETag>"1E3"</ETag><Type>Multipart</Type><Size>5368709120</Size>
        <StorageClass>IA</StorageClass></Contents>
      <CommonPrefixes><Prefix>dir%2Fa%20b%2Bc%25%20%F0%9F%98%80%2F</Prefix></CommonPrefixes>
    </ListBucketResult>`,
  );
  assert.equal(r.name, 'b1');
  assert.equal(r.prefix, 'dir/');
  assert.equal(r.delimiter, '/');
  assert.equal(r.isTruncated, true);
  assert.equal(r.nextContinuationToken, 'dir/1e3');
  assert.equal(r.keyCount, 3);
  assert.deepEqual(
    r.objects.map((o) => [o.key, o.etag, o.size, o.type, o.storageClass]),
    [
      ['dir/007', '"12345678901234567890123456789012"', 0, 'Normal', 'Standard'],
      ['dir/1e3', '"1E3"', 5368709120, 'Multipart', 'IA'],
    ],
  );
  assert.deepEqual(r.prefixes, ['dir/a b+c% 😀/']);
});

test('ListObjectsV2 without EncodingType keeps keys verbatim (entities decoded); empty listing', () => {
  const r = parseListObjectsV2(
    `<ListBucketResult><Name>b</Name><Prefix></Prefix><IsTruncated>false</IsTruncated>
      <Contents><Key> a&amp;b&lt;c&gt;&quot;%20&#x41;&#66; </Key><Size>1</Size><ETag>"x"</ETag></Contents></ListBucketResult>`,
  );
  assert.equal(r.objects[0]!.key, ' a&b<c>"%20AB ');
  assert.equal(r.delimiter, undefined);
  assert.equal(r.keyCount, 1, 'KeyCount missing: counted');
  const empty = parseListObjectsV2('<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>');
  assert.deepEqual([empty.objects, empty.prefixes, empty.isTruncated], [[], [], false]);
});

test('ListObjectsV2: bad documents are shape errors', () => {
  assert.throws(() => parseListObjectsV2('<ListAllMyBucketsResult/>'), XmlShapeError);
  assert.throws(() => parseListObjectsV2('<html><body>proxy</body></html>'), XmlShapeError);
  assert.throws(() => parseListObjectsV2('garbage'), XmlShapeError);
  assert.throws(
    () => parseListObjectsV2('<ListBucketResult><Contents><Key>k</Key><Size>12a</Size></Contents></ListBucketResult>'),
    /Size/,
  );
  assert.throws(
    () => parseListObjectsV2('<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%E0%A4%A</Key><Size>1</Size></Contents></ListBucketResult>'),
    /percent-encoding/,
  );
  assert.throws(() => parseListObjectsV2('<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>'), /NextContinuationToken/);
  assert.throws(() => parseListObjectsV2('<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>'), /boolean/);
});

test('multipart documents', () => {
  assert.deepEqual(
    parseInitiateMultipartUpload('<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>0004B9894A22E5B1888A1E29F823****</UploadId></InitiateMultipartUploadResult>'),
    { uploadId: '0004B9894A22E5B1888A1E29F823****' },
  );
  assert.throws(() => parseInitiateMultipartUpload('<InitiateMultipartUploadResult><UploadId></UploadId></InitiateMultipartUploadResult>'), /UploadId/);
  assert.deepEqual(
    parseCompleteMultipartUpload('<CompleteMultipartUploadResult><Location>http://b.x/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>"ABC-2"</ETag></CompleteMultipartUploadResult>'),
    { etag: '"ABC-2"', location: 'http://b.x/k' },
  );
  const parts = parseListParts(
    `<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><NextPartNumberMarker>2</NextPartNumberMarker><IsTruncated>true</IsTruncated>
      <Part><PartNumber>1</PartNumber><LastModified>t</LastModified><ETag>"01"</ETag><Size>102400</Size></Part>
      <Part><PartNumber>2</PartNumber><LastModified>t</LastModified><ETag>"02"</ETag><Size>7</Size></Part></ListPartsResult>`,
  );
  assert.deepEqual(parts, {
    isTruncated: true,
    nextPartNumberMarker: 2,
    parts: [
      { partNumber: 1, etag: '"01"', size: 102400, lastModified: 't' },
      { partNumber: 2, etag: '"02"', size: 7, lastModified: 't' },
    ],
  });
  const one = parseListParts('<ListPartsResult><Part><PartNumber>3</PartNumber><ETag>"x"</ETag><Size>1</Size></Part></ListPartsResult>');
  assert.equal(one.parts.length, 1);
  const ups = parseListMultipartUploads(
    `<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextKeyMarker>a%2Bb</NextKeyMarker>
      <NextUploadIdMarker>u2</NextUploadIdMarker>
      <Upload><Key>a%2Bb</Key><UploadId>u2</UploadId><Initiated>t</Initiated></Upload>
      <CommonPrefixes><Prefix>d%2F</Prefix></CommonPrefixes></ListMultipartUploadsResult>`,
  );
  assert.deepEqual(ups, {
    uploads: [{ key: 'a+b', uploadId: 'u2', initiated: 't' }],
    prefixes: ['d/'],
    isTruncated: true,
    nextKeyMarker: 'a+b',
    nextUploadIdMarker: 'u2',
  });
});

test('delete, copy and bucket info documents', () => {
  assert.deepEqual(
    parseDeleteResult('<DeleteResult><EncodingType>url</EncodingType><Deleted><Key>a%20b</Key></Deleted><Deleted><Key>c</Key></Deleted></DeleteResult>').deleted,
    ['a b', 'c'],
  );
  assert.deepEqual(parseDeleteResult('<DeleteResult><Deleted><Key>a%20b</Key></Deleted></DeleteResult>').deleted, ['a%20b']);
  assert.deepEqual(parseDeleteResult('').deleted, []);
  assert.deepEqual(parseDeleteResult('<DeleteResult/>').deleted, []);
  assert.deepEqual(parseCopyObject('<CopyObjectResult><LastModified>t</LastModified><ETag>"E"</ETag></CopyObjectResult>'), {
    etag: '"E"',
    lastModified: 't',
  });
  const info = parseBucketInfo(
    '<BucketInfo><Bucket><Name>b1</Name><Location>oss-cn-beijing</Location><CreationDate>t</CreationDate><ExtranetEndpoint>oss-cn-beijing.aliyuncs.com</ExtranetEndpoint><StorageClass>Standard</StorageClass></Bucket></BucketInfo>',
  );
  assert.equal(info.region, 'cn-beijing');
  assert.equal(info.extranetEndpoint, 'oss-cn-beijing.aliyuncs.com');
  assert.throws(() => parseBucketInfo('<BucketInfo></BucketInfo>'), /Bucket/);
});

test('error documents: fields, extras as details, non-error text gives undefined', () => {
  const e = parseErrorDocument(
    decl +
      `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>
      <RequestId>5C3D9175B6FC201293AD****</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId>
      <OSSAccessKeyId>ak</OSSAccessKeyId><SignatureProvided>sig</SignatureProvided><StringToSign>GET&#10;x</StringToSign>
      <EC>0002-00000040</EC></Error>`,
  );
  assert.ok(e);
  assert.equal(e.code, 'SignatureDoesNotMatch');
  assert.equal(e.requestId, '5C3D9175B6FC201293AD****');
  assert.equal(e.hostId, 'b.oss-cn-hangzhou.aliyuncs.com');
  assert.equal(e.ec, '0002-00000040');
  assert.deepEqual(e.details, { OSSAccessKeyId: 'ak', SignatureProvided: 'sig', StringToSign: 'GET\nx' });
  assert.equal(parseErrorDocument('<html><body>502 Bad Gateway</body></html>'), undefined);
  assert.equal(parseErrorDocument(''), undefined);
  assert.equal(parseErrorDocument('<ListBucketResult/>'), undefined);
});

test('entity decoding and root handling', () => {
  assert.equal(decodeXmlEntities('a&amp;amp;b&#x1F600;&#9;&unknown;'), 'a&amp;b😀\t&unknown;');
  assert.deepEqual(parseXmlRoot('<A/>'), { name: 'A', node: {} });
  assert.throws(() => parseXmlRoot('<A></B>'), XmlShapeError);
});
