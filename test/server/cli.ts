// `npm run server -- --port 9000 --data-dir ./data --bucket demo --access-key-id X --access-key-secret Y`
// Keys may also come from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN). Prints
// the endpoint; Ctrl+C closes. The secret is never printed.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startOssServer } from './index.js';

const USAGE = `usage: npm run server -- [--port 9000] [--host 127.0.0.1] --data-dir DIR [--bucket NAME]...
       [--access-key-id ID --access-key-secret SECRET] [--security-token TOKEN] [--region cn-hangzhou]
(keys also from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET / OSS_SESSION_TOKEN)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      bucket: { type: 'string', multiple: true, default: [] },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      'security-token': { type: 'string' },
      region: { type: 'string', default: 'cn-hangzhou' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const accessKeyId = values['access-key-id'] ?? process.env.OSS_ACCESS_KEY_ID;
  const accessKeySecret = values['access-key-secret'] ?? process.env.OSS_ACCESS_KEY_SECRET;
  const securityToken = values['security-token'] ?? process.env.OSS_SESSION_TOKEN;
  const port = Number(values.port);
  if (!values['data-dir'] || !accessKeyId || !accessKeySecret || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(!values['data-dir'] ? 'missing --data-dir' : !accessKeyId || !accessKeySecret ? 'missing access key id/secret' : `bad --port ${values.port}`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const server = await startOssServer({
    port,
    host: values.host,
    dataDir: resolve(values['data-dir']),
    credentials: [{ accessKeyId, accessKeySecret, securityToken: securityToken || undefined }],
    region: values.region,
    buckets: values.bucket,
  });
  console.log(`OSS test server listening on ${server.endpoint} (region ${values.region}, data ${resolve(values['data-dir'])}, AccessKey ID ${accessKeyId})`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
