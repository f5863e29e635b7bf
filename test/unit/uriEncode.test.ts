import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKeyForPath, rfc3986Encode } from '../../src/oss/signing/uriEncode.js';

test('unreserved characters stay, everything else is %XX upper case on UTF-8', () => {
  const unreserved = 'ABCXYZabcxyz0189-._~';
  assert.equal(rfc3986Encode(unreserved), unreserved);
  assert.equal(rfc3986Encode(' '), '%20');
  assert.equal(rfc3986Encode('+'), '%2B');
  assert.equal(rfc3986Encode('%'), '%25');
  assert.equal(rfc3986Encode('/'), '%2F');
  assert.equal(rfc3986Encode("!'()*"), '%21%27%28%29%2A');
  assert.equal(rfc3986Encode('=&?#[]@:;,$'), '%3D%26%3F%23%5B%5D%40%3A%3B%2C%24');
  assert.equal(rfc3986Encode('é'), '%C3%A9');
  assert.equal(rfc3986Encode('日'), '%E6%97%A5');
  assert.equal(rfc3986Encode('😀'), '%F0%9F%98%80');
  assert.equal(rfc3986Encode('\n\u007f'), '%0A%7F');
  assert.equal(rfc3986Encode(''), '');
});

test('every byte round-trips through decodeURIComponent', () => {
  let all = '';
  for (let c = 0; c < 0x800; c++) all += String.fromCharCode(c);
  all += '😀𝄞';
  const enc = rfc3986Encode(all);
  assert.match(enc, /^[A-Za-z0-9\-._~%]*$/);
  assert.doesNotMatch(enc, /%[0-9A-F]?[a-f]/);
  assert.equal(decodeURIComponent(enc), all);
});

test('encodeKeyForPath keeps slashes, including leading and doubled ones', () => {
  assert.equal(encodeKeyForPath('a/b c/d+e%f'), 'a/b%20c/d%2Be%25f');
  assert.equal(encodeKeyForPath('/x//y/'), '/x//y/');
  assert.equal(encodeKeyForPath('фото/😀.jpg'), '%D1%84%D0%BE%D1%82%D0%BE/%F0%9F%98%80.jpg');
});

test('unpaired surrogates are a clear error', () => {
  assert.throws(() => rfc3986Encode('a\ud800b'), /unpaired UTF-16 surrogate/);
  assert.throws(() => encodeKeyForPath('\udc00'), /unpaired UTF-16 surrogate/);
});
