// `npm run test:e2e`: makes sure code-server and Chromium are there (idempotent set-up), packages the
// extension, then runs test/e2e/*.test.ts one file at a time (each file drives its own code-server).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureSetup, SetupError } from './setup.js';
import { e2eResultsDir, projectRoot, vsixPath } from './projectPaths.js';

function main(): number {
  try {
    ensureSetup();
  } catch (err) {
    console.error(`[e2e] set-up FAILED ${err instanceof SetupError ? err.message : String(err)}`);
    return 1;
  }
  if (process.env.E2E_SKIP_PACKAGE !== '1') {
    console.log('[e2e] packaging the extension (npm run package)');
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: projectRoot, stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(vsixPath)) {
      console.error(`[e2e] npm run package FAILED (exit ${r.status}); the e2e tests need ${vsixPath}`);
      return 1;
    }
  }
  const dir = path.join(projectRoot, 'test', 'e2e');
  const only = process.argv.slice(2);
  const files = (only.length ? only : fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(dir, f)));
  if (files.length === 0) {
    console.error('[e2e] no test files in test/e2e');
    return 1;
  }
  fs.mkdirSync(e2eResultsDir, { recursive: true });
  console.log(`[e2e] running ${files.length} file(s); screenshots and failure logs go to ${path.relative(projectRoot, e2eResultsDir)}/`);
  // One file at a time: each starts code-server + Chromium, and the machine has 2 cores.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { cwd: projectRoot, stdio: 'inherit' });
  return r.status ?? 1;
}

process.exit(main());
