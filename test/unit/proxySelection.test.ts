// The proxy selection rules: which requests go through which proxy (http.proxy, http.noProxy and the
// environment, as VS Code reads them), and the no-proxy matching behind them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoProxyList, ProxyRules, parseProxyUrl } from '../../src/oss/http/proxySelection.js';

function bypass(entries: string[], hostname: string, port: number): boolean {
  return new NoProxyList(entries).matches(hostname, port);
}

test('noProxy: an exact host name, and the hosts below it, but not a name that merely ends the same', () => {
  assert.equal(bypass(['example.com'], 'example.com', 443), true);
  assert.equal(bypass(['example.com'], 'oss.example.com', 443), true);
  assert.equal(bypass(['example.com'], 'a.b.example.com', 80), true);
  assert.equal(bypass(['example.com'], 'notexample.com', 443), false);
  assert.equal(bypass(['example.com'], 'example.com.cn', 443), false);
  assert.equal(bypass(['oss.example.com'], 'example.com', 443), false);
});

test('noProxy: .suffix and *.suffix cover the domain and everything below it', () => {
  for (const entry of ['.aliyuncs.com', '*.aliyuncs.com']) {
    assert.equal(bypass([entry], 'oss-cn-hangzhou.aliyuncs.com', 443), true, entry);
    assert.equal(bypass([entry], 'bucket.oss-cn-hangzhou.aliyuncs.com', 443), true, entry);
    assert.equal(bypass([entry], 'aliyuncs.com', 443), true, entry);
    assert.equal(bypass([entry], 'xaliyuncs.com', 443), false, entry);
  }
});

test('noProxy: * sends everything direct, and is found inside a list', () => {
  assert.equal(bypass(['*'], 'anything.example', 443), true);
  assert.equal(bypass(['*'], '10.1.2.3', 80), true);
  assert.equal(bypass(['*'], '[2001:db8::1]', 443), true);
  assert.equal(bypass(['a.example, *'], 'b.example', 443), true);
});

test('noProxy: host:port matches that port only (the default port counts when the URL has none)', () => {
  assert.equal(bypass(['example.com:8080'], 'example.com', 8080), true);
  assert.equal(bypass(['example.com:8080'], 'example.com', 443), false);
  assert.equal(bypass(['.example.com:443'], 'oss.example.com', 443), true);
  assert.equal(bypass(['10.0.0.5:9000'], '10.0.0.5', 9000), true);
  assert.equal(bypass(['10.0.0.5:9000'], '10.0.0.5', 9001), false);
  assert.equal(bypass(['[2001:db8::5]:9000'], '[2001:db8::5]', 9000), true);
  assert.equal(bypass(['[2001:db8::5]:9000'], '[2001:db8::5]', 443), false);
});

test('noProxy: IP addresses, written any way IPv6 allows, and CIDR ranges; names never match IPs by suffix', () => {
  assert.equal(bypass(['192.168.1.10'], '192.168.1.10', 443), true);
  assert.equal(bypass(['192.168.1.10'], '192.168.1.100', 443), false);
  assert.equal(bypass(['2001:db8:0:0::1'], '[2001:db8::1]', 443), true);
  assert.equal(bypass(['[2001:db8::1]'], '[2001:db8::1]', 443), true);
  assert.equal(bypass(['10.0.0.0/8'], '10.20.30.40', 443), true);
  assert.equal(bypass(['10.0.0.0/8'], '11.0.0.1', 443), false);
  assert.equal(bypass(['2001:db8::/32'], '[2001:db8:ffff::1]', 443), true);
  assert.equal(bypass(['2001:db8::/32'], '[2001:db9::1]', 443), false);
  // '0.0.1' is not an IP, so it is a name; it must not swallow 10.0.0.1 by its last labels.
  assert.equal(bypass(['0.0.1'], '10.0.0.1', 443), false);
  // An IPv4 rule never matches an IPv6 host.
  assert.equal(bypass(['127.0.0.2'], '[::2]', 443), false);
});

test('noProxy: case, blanks, a trailing dot and NO_PROXY-style lists', () => {
  assert.equal(bypass(['EXAMPLE.com'], 'Oss.Example.COM', 443), true);
  assert.equal(bypass(['example.com.'], 'example.com', 443), true);
  assert.equal(bypass(['example.com'], 'example.com.', 443), true);
  assert.equal(bypass([' a.example ,b.example  c.example'], 'c.example', 443), true);
  assert.equal(bypass(['', '  '], 'a.example', 443), false);
  assert.equal(new NoProxyList(['', ' , ']).isEmpty, true);
});

test('the proxy option serves every origin and wins over the environment', () => {
  const rules = new ProxyRules({ proxy: 'http://proxy.corp:3128', env: { HTTPS_PROXY: 'http://other:1', HTTP_PROXY: 'http://other:2' } });
  assert.equal(rules.routeFor('https://oss-cn-hangzhou.aliyuncs.com')?.shown, 'http://proxy.corp:3128');
  assert.equal(rules.routeFor('http://10.0.0.7:9000')?.shown, 'http://proxy.corp:3128');
  assert.equal(rules.routeFor('https://oss-cn-hangzhou.aliyuncs.com')?.source, 'the proxy option');
});

test('the environment: https origins use HTTPS_PROXY then HTTP_PROXY; http origins only HTTP_PROXY; lower case wins', () => {
  const both = new ProxyRules({ env: { HTTPS_PROXY: 'http://secure:1', HTTP_PROXY: 'http://plain:2' } });
  assert.equal(both.routeFor('https://a.example')?.shown, 'http://secure:1');
  assert.equal(both.routeFor('http://a.example')?.shown, 'http://plain:2');
  const httpOnly = new ProxyRules({ env: { HTTP_PROXY: 'http://plain:2' } });
  assert.equal(httpOnly.routeFor('https://a.example')?.source, 'HTTP_PROXY');
  const httpsOnly = new ProxyRules({ env: { HTTPS_PROXY: 'http://secure:1' } });
  assert.equal(httpsOnly.routeFor('http://a.example'), undefined);
  const cases = new ProxyRules({ env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' } });
  assert.equal(cases.routeFor('https://a.example')?.source, 'https_proxy');
  const blank = new ProxyRules({ env: { https_proxy: '  ', HTTPS_PROXY: 'http://upper:1' } });
  assert.equal(blank.routeFor('https://a.example')?.source, 'HTTPS_PROXY');
  assert.equal(new ProxyRules({}).configured, false);
  assert.equal(new ProxyRules({ env: {} }).routeFor('https://a.example'), undefined);
});

test('NO_PROXY from the environment, unless the options give a list (which replaces it)', () => {
  const env = { HTTPS_PROXY: 'http://proxy:1', no_proxy: '.internal.example' };
  assert.equal(new ProxyRules({ env }).routeFor('https://oss.internal.example'), undefined);
  assert.ok(new ProxyRules({ env }).routeFor('https://oss.public.example'));
  const listed = new ProxyRules({ env, noProxy: ['public.example'] });
  assert.equal(listed.routeFor('https://oss.public.example'), undefined);
  assert.ok(listed.routeFor('https://oss.internal.example'), 'the list replaced NO_PROXY');
  // An empty list (http.noProxy's default) leaves NO_PROXY in force.
  assert.equal(new ProxyRules({ env, noProxy: [] }).routeFor('https://oss.internal.example'), undefined);
  // The no-proxy rules apply to the proxy option as well.
  assert.equal(new ProxyRules({ proxy: 'http://p:1', noProxy: ['*.example'] }).routeFor('https://a.example'), undefined);
});

test('localhost, 127.0.0.1 and ::1 always go direct; other loopback addresses follow the rules', () => {
  const rules = new ProxyRules({ proxy: 'http://proxy:1' });
  for (const origin of ['http://localhost:9000', 'http://127.0.0.1:9000', 'https://[::1]:8443', 'http://LOCALHOST']) {
    assert.equal(rules.routeFor(origin), undefined, origin);
  }
  assert.ok(rules.routeFor('http://127.0.0.2:9000'));
});

test('proxy URLs: credentials are kept for the agent but never shown; bad values are named without their text', () => {
  const r = parseProxyUrl('http://user:s3cret@proxy.corp:8080', 'HTTPS_PROXY');
  assert.equal(r.shown, 'http://proxy.corp:8080');
  assert.equal(r.hasCredentials, true);
  assert.equal(r.url.password, 's3cret');
  assert.equal(parseProxyUrl('proxy.corp:3128', 'x').shown, 'http://proxy.corp:3128');
  assert.equal(parseProxyUrl('https://proxy.corp', 'x').shown, 'https://proxy.corp:443');
  assert.equal(parseProxyUrl('http://proxy.corp', 'x').hasCredentials, false);
  assert.throws(() => parseProxyUrl('http://user:s3cret@[bad', 'http.proxy'), (e: Error) => {
    assert.match(e.message, /http\.proxy is not a valid proxy URL/);
    assert.doesNotMatch(e.message, /s3cret/);
    return true;
  });
  assert.throws(() => parseProxyUrl('socks5://u:s3cret@proxy:1080', 'ALL'), (e: Error) => {
    assert.match(e.message, /socks5 proxy \(proxy:1080\); only http:\/\/ and https:\/\/ proxies are supported/);
    assert.doesNotMatch(e.message, /s3cret/);
    return true;
  });
  assert.throws(() => new ProxyRules({ env: { HTTPS_PROXY: 'ftp://x' } }), /HTTPS_PROXY names a ftp proxy/);
});
