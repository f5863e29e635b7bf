// The Debian packages step of the set-up: asks dpkg which of the packages are missing, and installs
// only those (no recommended extras, never `apt-get upgrade`), after saying exactly what apt will
// install and which installed packages it would have to upgrade for them. apt's own output goes to
// a log file, not the terminal. The commands run through `AptHost`, so tests drive it without apt.

export interface CommandResult {
  status: number;
  stdout: string;
}

export interface AptHost {
  /** Runs a command; with `logFile` its output is appended there instead of returned or shown. */
  run(cmd: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; logFile?: string }): CommandResult;
  say(msg: string): void;
  isRoot(): boolean;
  /** Where apt's output goes. */
  logFile: string;
}

export class AptSetupError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** What `apt-get install -s` says it would do. */
export interface AptPlan {
  /** Packages not installed now. */
  install: string[];
  /** Installed packages it would replace with a newer version (a new one needs it). */
  upgrade: string[];
}

/** Reads the `Inst name [installed version] (new version …)` lines of an apt-get simulation. */
export function parseAptSimulation(output: string): AptPlan {
  const plan: AptPlan = { install: [], upgrade: [] };
  for (const line of output.split('\n')) {
    const m = /^Inst (\S+)( \[[^\]]*\])?/.exec(line);
    if (m) (m[2] ? plan.upgrade : plan.install).push(m[1]!);
  }
  return plan;
}

export function aptInstallArgs(packages: readonly string[]): string[] {
  return ['install', '-y', '--no-install-recommends', ...packages];
}

export function missingPackages(host: AptHost, packages: readonly string[]): string[] {
  return packages.filter((p) => {
    const r = host.run('dpkg-query', ['-W', '-f=${Status}', p]);
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function list(names: readonly string[]): string {
  return names.join(' ');
}

/** The lines said before anything is installed. */
export function describePlan(missing: readonly string[], plan: AptPlan): string[] {
  const extra = plan.install.filter((p) => !missing.includes(p));
  const lines = [
    `will install ${plan.install.length} package${plan.install.length === 1 ? '' : 's'} (no recommended extras): ` +
      `the ${missing.length} missing (${list(missing)})${extra.length ? ` and ${extra.length} they depend on (${list(extra)})` : ''}`,
  ];
  if (plan.upgrade.length) {
    lines.push(`and upgrade ${plan.upgrade.length} installed package${plan.upgrade.length === 1 ? '' : 's'} they need a newer version of: ${list(plan.upgrade)}`);
  } else {
    lines.push('no installed package is upgraded');
  }
  return lines;
}

export function ensureAptPackages(host: AptHost, packages: readonly string[]): void {
  host.say(`checking ${list(packages)} (native build deps of code-server, ripgrep, chromium)`);
  const missing = missingPackages(host, packages);
  if (missing.length === 0) {
    host.say('all present, nothing to do');
    return;
  }
  const byHand = `apt-get update && apt-get install --no-install-recommends ${list(missing)}`;
  if (!host.isRoot()) throw new AptSetupError(`missing ${missing.join(', ')} and not running as root`, `run as root: ${byHand}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const seeLog = `see ${host.logFile}; by hand: ${byHand}`;
  host.say(`missing: ${list(missing)}; reading the package lists (apt-get update; apt's output goes to ${host.logFile})`);
  if (host.run('apt-get', ['update'], { env, logFile: host.logFile }).status !== 0) throw new AptSetupError('apt-get update failed', seeLog);
  const simulated = host.run('apt-get', ['-s', ...aptInstallArgs(missing)], { env });
  if (simulated.status !== 0) throw new AptSetupError(`apt cannot install ${list(missing)}`, seeLog);
  for (const line of describePlan(missing, parseAptSimulation(simulated.stdout))) host.say(line);
  if (host.run('apt-get', aptInstallArgs(missing), { env, logFile: host.logFile }).status !== 0) {
    throw new AptSetupError(`apt-get install ${list(missing)} failed`, seeLog);
  }
  const still = missingPackages(host, missing);
  if (still.length) throw new AptSetupError(`still missing after install: ${still.join(', ')}`, seeLog);
  host.say('installed');
}
