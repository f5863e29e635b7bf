// `npm start`: one command from a fresh clone to the extension running in real VS Code (code-server)
// against a local OSS-compatible server with demo data. Ctrl+C stops everything it started.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startOssServer, type OssServer } from '../test/server/index.js';
import { OssClient } from '../src/oss/index.js';
import { seedDemoData, demoBuckets, defaultLargeSize, formatSize, largeObjectKey } from './demoData.js';
import { ensureSetup } from './e2e/setup.js';
import { installVsix, seedUserData, startCodeServer, type CodeServerHandle } from './e2e/codeServerInstance.js';
import { cacheDir, demoDataDir, projectRoot, vsixPath } from './e2e/projectPaths.js';
import { parseStartArgs, slowObjectPace, startUsage, StartUsageError, type StartOptions } from './startOptions.js';
import { formatSpeed } from '../src/vscode/presentation/quantityFormat.js';

// Fixed demo credentials: they only open the local server this script starts on 127.0.0.1.
const demoCredentials = { accessKeyId: 'LTAI-demo-local', accessKeySecret: 'demo-secret-for-local-server-only' };

function step(msg: string): void {
  console.log(`[start] ${msg}`);
}

function buildVsix(): void {
  step('building and packaging the extension (npm run package)');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: projectRoot, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(vsixPath)) throw new Error(`npm run package failed (exit ${r.status}); see the output above`);
}

async function main(): Promise<void> {
  let opts: StartOptions;
  try {
    opts = parseStartArgs(process.argv.slice(2));
    if (opts.help) {
      console.log(startUsage);
      process.exit(0);
    }
    if (!opts.skipSetup) ensureSetup();
    if (!opts.skipBuild) buildVsix();
  } catch (err) {
    console.error(`[start] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof StartUsageError) console.error(startUsage);
    process.exit(1);
  }

  const cleanups: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    step('stopping code-server and the OSS server');
    for (const c of cleanups.reverse()) await c().catch((e) => console.error(`[start] cleanup: ${e}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0)); // the terminal was closed

  try {
    fs.mkdirSync(demoDataDir, { recursive: true });
    step(`starting the local OSS server (data in ${path.relative(projectRoot, demoDataDir)}/)`);
    const server: OssServer = await startOssServer({
      port: opts.ossPort, host: '127.0.0.1', dataDir: demoDataDir, credentials: [demoCredentials], buckets: [...demoBuckets],
    });
    cleanups.push(() => server.close());

    step('seeding demo data (only what is missing; the first run generates a 256 MiB object)');
    const client = new OssClient({ endpoint: server.endpoint, ...demoCredentials });
    try {
      const seeded = await seedDemoData(client, { log: (m) => step(`  ${m}`) });
      step(`  demo data ready: ${seeded.uploaded.length} uploaded, ${seeded.skipped.length} already there`);
    } finally {
      await client.close();
    }
    const pace = slowObjectPace(defaultLargeSize, opts.slowSeconds);
    if (pace !== undefined) {
      // Only the large object's GETs share this rate: browsing, HEADs, other objects and your own
      // uploads stay at full speed.
      server.faults.add({ op: 'GetObject', bucket: demoBuckets[0], key: largeObjectKey }, { type: 'pace', bytesPerSecond: pace }, Infinity);
      step(`  ${demoBuckets[0]}/${largeObjectKey} is served at ${formatSpeed(pace)}, so its download takes about ${opts.slowSeconds} s`
        + ' and leaves time to reload and resume (--slow-seconds 0 for full speed)');
    }

    const base = path.join(cacheDir, 'start');
    const userDataDir = path.join(base, 'user-data');
    const extensionsDir = path.join(base, 'extensions');
    const workspace = path.join(base, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const sample = path.join(workspace, 'upload-me.txt');
    if (!fs.existsSync(sample)) fs.writeFileSync(sample, 'Right-click me in the Explorer and choose "Upload to OSS…".\n');
    seedUserData(userDataDir);
    step(`installing ${path.relative(projectRoot, vsixPath)} into ${path.relative(projectRoot, extensionsDir)}/`);
    installVsix(vsixPath, { userDataDir, extensionsDir });

    step('starting code-server');
    const cs: CodeServerHandle = await startCodeServer({
      userDataDir, extensionsDir, folder: workspace, port: opts.codePort,
      logFile: path.join(base, 'code-server.log'),
      env: { OSS_ACCESS_KEY_ID: demoCredentials.accessKeyId, OSS_ACCESS_KEY_SECRET: demoCredentials.accessKeySecret, OSS_ENDPOINT: server.endpoint },
    });
    cleanups.push(() => cs.stop());
    cs.process.once('exit', (code) => {
      if (!stopping) {
        console.error(`[start] code-server exited (code ${code}); see ${path.join(base, 'code-server.log')}`);
        void stopAll(1);
      }
    });

    console.log('');
    console.log(`  OSS server     ${server.endpoint}  (buckets: ${demoBuckets.join(', ')}; large object ${formatSize(defaultLargeSize)})`);
    console.log(`  workspace      ${workspace}`);
    console.log(`  open this URL  ${cs.url}`);
    console.log('  then: the OSS Transfer icon in the activity bar; download videos/big-demo.bin, reload the tab while it');
    console.log('  runs, and Resume it in the Transfers view. Ctrl+C here stops everything.');
    console.log('');
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`[start] FAILED: ${msg}`);
    if (/EADDRINUSE/.test(msg)) console.error('[start] next step: a port is taken; pick others with --oss-port N --code-port N (0 = any free port)');
    await stopAll(1);
  }
}

void main();
