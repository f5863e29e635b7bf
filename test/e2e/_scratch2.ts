import * as fs from 'node:fs';
import { startOssServer } from '../server/index.js';
import { OssClient } from '../../src/oss/index.js';
import { seedDemoData } from '../../scripts/demoData.js';
async function main() {
  const dataDir = fs.mkdtempSync('/tmp/f-smoke/data-');
  const creds = { accessKeyId: 'k', accessKeySecret: 's' };
  const server = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: ['demo-bucket', 'demo-archive'] });
  const client = new OssClient({ endpoint: server.endpoint, ...creds });
  let t = Date.now();
  const r = await seedDemoData(client, { largeSize: 256 * 1024 * 1024, log: console.log });
  console.log('seed', Date.now() - t, r.uploaded.length, r.skipped.length);
  t = Date.now();
  const r2 = await seedDemoData(client, { largeSize: 256 * 1024 * 1024 });
  console.log('reseed', Date.now() - t, r2.uploaded.length, r2.skipped.length);
  console.log(server.objectPath('demo-bucket', 'videos/big-demo.bin'), server.stats.snapshot());
  await client.close(); await server.close();
  fs.rmSync(dataDir, { recursive: true });
}
main().catch(e => { console.error(e); process.exit(1); });
