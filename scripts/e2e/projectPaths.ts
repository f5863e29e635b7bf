// Where the e2e and `npm start` tooling keeps things. Everything lives inside the project (./.cache,
// ./.demo-data, ./test-results) so nothing is installed globally and `git clean -X` removes it all.
import * as path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const cacheDir = path.join(projectRoot, '.cache');

export const codeServerVersion = '4.100.3';
export const codeServerDir = path.join(cacheDir, 'code-server');
export const codeServerBin = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

// code-server writes a default config file when none exists; keep it inside the project, not in ~/.config.
export const codeServerConfig = path.join(codeServerDir, 'config.yaml');

// code-server's own logs and heartbeat file (XDG_DATA_HOME for it), also kept inside the project.
export const codeServerDataHome = path.join(codeServerDir, 'xdg-data');

/** What the set-up's installers print (apt, npm building code-server) goes here, not to the terminal. */
export const setupLogDir = path.join(cacheDir, 'setup');
export const aptLogFile = path.join(setupLogDir, 'apt.log');
export const codeServerInstallLog = path.join(setupLogDir, 'code-server-install.log');

export const vsixPath = path.join(projectRoot, 'dist', 'oss-transfer.vsix');
export const demoDataDir = path.join(projectRoot, '.demo-data');
export const e2eResultsDir = path.join(projectRoot, 'test-results', 'e2e');

/** Debian's Chromium; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian packages code-server's native modules build against, plus ripgrep and the browser. */
export const aptPackages = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'ripgrep', 'chromium'];

/**
 * code-server's @vscode/ripgrep postinstall downloads a release binary, which fails offline; it first looks in
 * this cache folder (under os.tmpdir()), so we place Debian's rg there under the name it expects.
 */
export const ripgrepCacheFolder = 'vscode-ripgrep-cache-1.15.11';
export const ripgrepTarballName = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
