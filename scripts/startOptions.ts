// Command-line options of `npm start`, parsed apart from start.ts so they are unit tested.

export interface StartOptions {
  ossPort: number;
  codePort: number;
  /** about how long a download of the large demo object takes (0 = full speed), so it can be watched, interrupted and resumed */
  slowSeconds: number;
  skipSetup: boolean;
  skipBuild: boolean;
  help: boolean;
}

export const startUsage = [
  'usage: npm start -- [--oss-port N] [--code-port N] [--slow-seconds N] [--skip-setup] [--skip-build]',
  '  --oss-port      port of the local OSS server (default 9000; 0 = any free port)',
  '  --code-port     port of code-server (default 8080; 0 = any free port)',
  '  --slow-seconds  the server sends the large demo object at a pace that makes its download take about this',
  '                  long, so it can be watched, interrupted and resumed; nothing else is slowed',
  '                  (default 60; 0 = full speed)',
  '  --skip-setup    do not check the apt packages, ripgrep cache and code-server install',
  '  --skip-build    use the existing dist/oss-transfer.vsix instead of packaging again',
].join('\n');

export class StartUsageError extends Error {}

export function parseStartArgs(argv: readonly string[]): StartOptions {
  const o: StartOptions = { ossPort: 9000, codePort: 8080, slowSeconds: 60, skipSetup: false, skipBuild: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const wholeNumber = (max: number): number => {
      const raw = argv[++i];
      const v = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isInteger(v) || v < 0 || v > max) {
        throw new StartUsageError(`${a} needs a whole number from 0 to ${max}, got ${raw === undefined ? 'nothing' : `"${raw}"`}`);
      }
      return v;
    };
    if (a === '--oss-port') o.ossPort = wholeNumber(65535);
    else if (a === '--code-port') o.codePort = wholeNumber(65535);
    else if (a === '--slow-seconds') o.slowSeconds = wholeNumber(3600);
    else if (a === '--skip-setup') o.skipSetup = true;
    else if (a === '--skip-build') o.skipBuild = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new StartUsageError(`unknown option ${a}`);
  }
  if (o.ossPort !== 0 && o.ossPort === o.codePort) throw new StartUsageError(`--oss-port and --code-port are both ${o.ossPort}`);
  return o;
}

/**
 * The rate at which the large demo object is served so that downloading all of it takes about
 * `seconds` (every part request shares it, whatever the part size and parallelism); undefined: full speed.
 */
export function slowObjectPace(objectSize: number, seconds: number): number | undefined {
  return seconds > 0 ? Math.max(1, Math.round(objectSize / seconds)) : undefined;
}
