// The set-up's apt step with a scripted host in place of dpkg and apt: only missing packages are
// installed, without recommends and without `apt-get upgrade`, what apt will do is said first, and
// apt's output goes to the log file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AptSetupError, aptInstallArgs, describePlan, ensureAptPackages, parseAptSimulation, type AptHost, type CommandResult } from '../../scripts/e2e/aptPackages.js';

// Shaped as Debian 12's apt-get prints it (an install of chromium that needs a newer libudev1).
const SIMULATION = [
  'NOTE: This is only a simulation!',
  'Reading package lists...',
  'The following NEW packages will be installed:',
  '  chromium chromium-common libxkbfile-dev',
  '0 upgraded, 3 newly installed, 0 to remove and 115 not upgraded.',
  'Inst libudev1 [252.36-1~deb12u1] (252.39-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
  'Inst chromium-common (140.0.7339.185-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
  'Inst chromium (140.0.7339.185-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
  'Inst libxkbfile-dev (1:1.1.0-1 Debian:12.15/oldstable [amd64])',
  'Conf libudev1 (252.39-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
  'Conf chromium (140.0.7339.185-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
].join('\n');

interface Event {
  kind: 'run' | 'say';
  text: string;
  logFile?: string;
}

function scriptedHost(opts: { installed: Set<string>; root?: boolean; installWorks?: boolean }): AptHost & { events: Event[] } {
  const events: Event[] = [];
  return {
    events,
    logFile: '/project/.cache/setup/apt.log',
    isRoot: () => opts.root ?? true,
    say: (text) => events.push({ kind: 'say', text }),
    run(cmd, args, o = {}): CommandResult {
      events.push({ kind: 'run', text: [cmd, ...args].join(' '), ...(o.logFile ? { logFile: o.logFile } : {}) });
      if (cmd === 'dpkg-query') {
        const pkg = args.at(-1)!;
        return opts.installed.has(pkg) ? { status: 0, stdout: 'install ok installed' } : { status: 1, stdout: '' };
      }
      if (args[0] === '-s') return { status: 0, stdout: SIMULATION };
      if (args[0] === 'install' && opts.installWorks !== false) for (const p of args.filter((a) => !a.startsWith('-')).slice(1)) opts.installed.add(p);
      return { status: 0, stdout: '' };
    },
  };
}

const runs = (h: { events: Event[] }) => h.events.filter((e) => e.kind === 'run' && !e.text.startsWith('dpkg-query'));

test('nothing missing: dpkg is asked, apt is never run', () => {
  const host = scriptedHost({ installed: new Set(['a', 'b']) });
  ensureAptPackages(host, ['a', 'b']);
  assert.deepEqual(runs(host), []);
  assert.deepEqual(host.events.filter((e) => e.kind === 'run').map((e) => e.text), ['dpkg-query -W -f=${Status} a', 'dpkg-query -W -f=${Status} b']);
  assert.match(host.events.at(-1)!.text, /all present/);
});

test('only the missing packages are installed, without recommends or an upgrade, and apt writes to the log', () => {
  const host = scriptedHost({ installed: new Set(['ripgrep', 'pkg-config']) });
  ensureAptPackages(host, ['ripgrep', 'pkg-config', 'chromium', 'libxkbfile-dev']);
  assert.deepEqual(runs(host).map((e) => e.text), [
    'apt-get update',
    'apt-get -s install -y --no-install-recommends chromium libxkbfile-dev',
    'apt-get install -y --no-install-recommends chromium libxkbfile-dev',
  ]);
  for (const e of runs(host)) assert.ok(!/\b(upgrade|dist-upgrade|full-upgrade)\b/.test(e.text), e.text);
  const [update, simulate, install] = runs(host);
  assert.equal(update!.logFile, host.logFile, 'apt-get update prints into the log');
  assert.equal(install!.logFile, host.logFile, 'apt-get install prints into the log');
  assert.equal(simulate!.logFile, undefined, 'the simulation is read, not shown');
  // What will happen is said before the install runs.
  const installAt = host.events.indexOf(install!);
  const said = host.events.slice(0, installAt).filter((e) => e.kind === 'say').map((e) => e.text);
  assert.ok(said.some((s) => s === 'will install 3 packages (no recommended extras): the 2 missing (chromium libxkbfile-dev) and 1 they depend on (chromium-common)'), said.join('\n'));
  assert.ok(said.includes('and upgrade 1 installed package they need a newer version of: libudev1'), said.join('\n'));
  assert.ok(said.some((s) => s.includes(host.logFile)), 'the log file is named');
  assert.equal(host.events.at(-1)!.text, 'installed');
});

test('not root: nothing runs, the error names the missing packages and the command to run', () => {
  const host = scriptedHost({ installed: new Set(), root: false });
  assert.throws(
    () => ensureAptPackages(host, ['chromium', 'ripgrep']),
    (e: unknown) => e instanceof AptSetupError && /missing chromium, ripgrep and not running as root/.test(e.message)
      && e.hint === 'run as root: apt-get update && apt-get install --no-install-recommends chromium ripgrep',
  );
  assert.deepEqual(runs(host), []);
});

test('a package apt said it installed but dpkg does not see is an error pointing at the log', () => {
  const host = scriptedHost({ installed: new Set(), installWorks: false });
  assert.throws(() => ensureAptPackages(host, ['chromium']), (e: unknown) => e instanceof AptSetupError && /still missing after install: chromium/.test(e.message) && e.hint.includes(host.logFile));
});

test('the simulation is read into new packages and upgrades; the plan says when nothing is upgraded', () => {
  assert.deepEqual(parseAptSimulation(SIMULATION), { install: ['chromium-common', 'chromium', 'libxkbfile-dev'], upgrade: ['libudev1'] });
  assert.deepEqual(parseAptSimulation('Reading package lists...\n0 upgraded, 0 newly installed'), { install: [], upgrade: [] });
  assert.deepEqual(describePlan(['x'], { install: ['x'], upgrade: [] }), ['will install 1 package (no recommended extras): the 1 missing (x)', 'no installed package is upgraded']);
  assert.deepEqual(aptInstallArgs(['a']), ['install', '-y', '--no-install-recommends', 'a']);
});
