import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../packages/parallelrunner/test/support/e2e.js';
import { BIN_FF, type Workspace, ff, workspace } from './support/env.js';
import { expectWorkSpread } from './support/spread.js';

const describe = describeWith('sshd');

let ws: Workspace;
let stdoutSoFar = '';

beforeAll(async () => {
  ws = await workspace(2);
}, 60_000);

afterAll(async () => {
  await ws?.[Symbol.asyncDispose]();
});

function config(extra = ''): string {
  return [
    `fstests = ${JSON.stringify(ws.fstests)}`,
    '[custom_vm]',
    `vms = ${JSON.stringify(ws.vms)}`,
    '[test_runner]',
    'dmesg = false',
    'probe_interval = 2',
    extra,
  ].join('\n');
}

const env = () => ({ HOME: ws.home });

describe('ff on existing hosts over SSH', () => {
  it('runs -g quick across both hosts: all pass or skip, exit 0, results stored', async () => {
    await ws.writeConfig(config());
    const r = await ff(['-g', 'quick', '--junit', 'junit.xml', '--json', 'report.json'], {
      cwd: ws.dir,
      env: env(),
    });
    expect(r.stderr).not.toMatch(/ff: /);
    expect(r.code).toBe(0);
    // One duration per PASS line (check's own time is not repeated as the summary).
    expect(r.stdout).toMatch(/PASS +generic\/001 \d+(\.\d)?s on host\d \(\d+\/\d+\)$/m);
    expect(r.stdout).toMatch(/SKIP\s+generic\/004 .*no reflink support/);
    await expectWorkSpread(r.stdout, join(ws.dir, 'results'), ['host1', 'host2']);
    // Results layout: latest/<name> links to the attempt holding stdout and result.json.
    const link = await readlink(join(ws.dir, 'results', 'latest', 'generic', '001'));
    const attempt = join(ws.dir, 'results', 'latest', 'generic', '001');
    expect(link).toMatch(/tests\/generic\/001\//);
    const result = JSON.parse(await readFile(join(attempt, 'result.json'), 'utf8'));
    expect(result.status).toBe('pass');
    expect(await readFile(join(attempt, 'stdout'), 'utf8')).toMatch(/generic\/001/);
    const xsd = join(__dirname, '../../../packages/parallelrunner/test/fixtures/junit/junit.xsd');
    execFileSync('xmllint', ['--noout', '--schema', xsd, join(ws.dir, 'junit.xml')], {
      stdio: 'pipe',
    });
    const junit = await readFile(join(ws.dir, 'junit.xml'), 'utf8');
    const properties = [...junit.matchAll(/<property name="([^"]+)"/g)].map((m) => m[1]);
    expect(properties).toEqual(
      expect.arrayContaining(['runId', 'supervisor.host1', 'supervisor.host2']),
    );
    expect(new Set(properties).size).toBe(properties.length);
    expect(junit).toMatch(/<property name="supervisor.host1" value="started=yes deaths=0 /);
    const report = JSON.parse(await readFile(join(ws.dir, 'report.json'), 'utf8'));
    expect(report.version).toBe(1);
    expect(report.counts.fail).toBe(0);
    // The run's manifest holds the command line as typed.
    const runs = await readdir(join(ws.dir, 'results', 'runs'));
    expect(runs).toHaveLength(1);
    const manifest = JSON.parse(
      await readFile(join(ws.dir, 'results', 'runs', runs[0] ?? ''), 'utf8'),
    );
    expect(manifest.commandLine).toEqual([
      'ff',
      '-g',
      'quick',
      '--junit',
      'junit.xml',
      '--json',
      'report.json',
    ]);
  }, 120_000);

  it('classifies -g auto: failures with their summaries, artifacts, exit 1, failure list', async () => {
    await ws.writeConfig(config());
    const r = await ff(['-g', 'auto', '--print-failure-list'], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+generic\/003 .*output mismatch/);
    expect(r.stdout).toMatch(/FAIL\s+generic\/005 .*_check_dmesg/);
    expect(r.stdout).toMatch(/FAIL\s+generic\/006 .*failed, exit status 2/);
    expect(r.stdout).toMatch(/Failure list:\n.*generic\/003/);
    const artifacts = join(ws.dir, 'results', 'latest', 'generic', '003', 'artifacts');
    expect(await readdir(artifacts)).toContain('003.out.bad');
  }, 120_000);

  it('reruns exactly the failures of a SOURCE and orders by its durations', async () => {
    await ws.writeConfig(config());
    const auto = await ff(['-g', 'auto', '--record', 'autorun'], { cwd: ws.dir, env: env() });
    expect(auto.code).toBe(1);
    const failed = [...auto.stdout.matchAll(/^\[[\d:]+\] (?:FAIL|ERROR) +(\S+)/gm)]
      .map((m) => m[1])
      .sort();
    expect(failed.length).toBeGreaterThan(0);
    const rerun = await ff(['--rerun-failures', 'autorun', '--slowest-first', 'autorun'], {
      cwd: ws.dir,
      env: env(),
    });
    const ran = [...rerun.stdout.matchAll(/^\[[\d:]+\] (?:PASS|FAIL|SKIP|ERROR) +(\S+)/gm)]
      .map((m) => m[1])
      .sort();
    expect(ran).toEqual(failed);
    expect(rerun.stderr).toMatch(
      /order: longest first, durations of autorun known for \d+ of \d+ tests/,
    );
    const unknown = await ff(['--rerun-failures', 'nosuchlabel'], { cwd: ws.dir, env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nosuchlabel.*autorun/s);
  }, 120_000);

  it('--rerun-failures reruns exactly the failures (also outside auto); --list shows them', async () => {
    await ws.writeConfig(config());
    // generic/008 (group abnormal) errors and is not in auto; generic/003 fails; 001 passes.
    // A results directory of its own: the latest results are then this run's.
    const dir = ['--results-dir', 'results-rerun'];
    const first = await ff(['generic/001', 'generic/003', 'generic/008', ...dir], {
      cwd: ws.dir,
      env: env(),
    });
    expect(first.code).toBe(1);
    const listed = await ff(['--rerun-failures', '--list', ...dir], { cwd: ws.dir, env: env() });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe('generic/003\ngeneric/008\n');
    expect(listed.stderr).toBe('rerun: 2 of the 2 failed or errored tests of the latest results\n');
    // With a selection, only the failures in it rerun, and the rest are named.
    const inAuto = await ff(['--rerun-failures', '-g', 'auto', '--list', ...dir], {
      cwd: ws.dir,
      env: env(),
    });
    expect(inAuto.stdout).toBe('generic/003\n');
    expect(inAuto.stderr).toBe(
      'rerun: 1 of the 2 failed or errored tests of the latest results\n' +
        'rerun: not in the selection, left out: generic/008\n',
    );
    const rerun = await ff(['--rerun-failures', ...dir], { cwd: ws.dir, env: env() });
    const ran = [...rerun.stdout.matchAll(/^\[[\d:]+\] (?:PASS|FAIL|SKIP|ERROR) +(\S+)/gm)]
      .map((m) => m[1])
      .sort();
    expect(ran).toEqual(['generic/003', 'generic/008']);
  }, 120_000);

  it('paths on the command line are relative to the working directory, in config.toml to the file', async () => {
    // The configuration lives in another directory and names its results dir relative to itself.
    const conf = join(ws.dir, 'conf');
    const work = join(ws.dir, 'work');
    await mkdir(conf, { recursive: true });
    await mkdir(work, { recursive: true });
    await writeFile(
      join(conf, 'config.toml'),
      `${config()}\n[output]\nresults_dir = "conf-results"\n`,
    );
    await mkdir(join(work, 'out'));
    const ok = await ff(['generic/001', '--junit', 'junit.xml', '--json', 'out/report.json'], {
      cwd: work,
      env: { ...env(), FAST_FSTESTS_CONFIG_PATH: join(conf, 'config.toml') },
    });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`JSON report: ${join(work, 'out', 'report.json')}`);
    expect(ok.stderr).toContain(`results: ${join(conf, 'conf-results')}`);
    expect(JSON.parse(await readFile(join(work, 'out', 'report.json'), 'utf8')).version).toBe(1);
    expect(ok.stderr).toContain(`JUnit report: ${join(work, 'junit.xml')}`);
    expect(await readFile(join(work, 'junit.xml'), 'utf8')).toContain('generic/001');
  }, 120_000);

  it('compare with runs but no recording says how to record a baseline', async () => {
    const fresh = join(ws.dir, 'fresh');
    await mkdir(fresh, { recursive: true });
    await writeFile(join(fresh, 'config.toml'), config());
    const run = await ff(['generic/001'], { cwd: fresh, env: env() });
    expect(run.code).toBe(0);
    const cmp = await ff(['compare'], { cwd: fresh, env: env() });
    expect(cmp.code).toBe(2);
    expect(cmp.stderr).toMatch(/^ff: no recording -1 in .*recordings \(newest first\): none\)\n/);
    expect(cmp.stderr).toContain(
      '  nothing was recorded yet: record a baseline with `ff record LABEL` (the latest results) or ' +
        '`ff ... --record LABEL`, then run again and `ff compare`',
    );
  }, 60_000);

  it('doctor: reachable hosts with fstests pass; a missing host or path fails with a fix', async () => {
    await ws.writeConfig(config());
    const ok = await ff(['doctor'], { cwd: ws.dir, env: env() });
    expect(ok.stdout).toMatch(/ok +host host1: reachable, .*\/check present/);
    expect(ok.stdout).toMatch(/ok +host host2: reachable/);
    expect(ok.code).toBe(0);
    const bad = await ff(['doctor', '--vms', 'host1:/nonexistent,nohost:/x'], {
      cwd: ws.dir,
      env: env(),
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL host host1: reachable, but \/nonexistent\/check is missing/);
    expect(bad.stdout).toMatch(/FAIL host nohost: .*\n +fix: /);
  }, 60_000);

  it('lists the selection with --list and exits 0 without connecting', async () => {
    await ws.writeConfig(config());
    const r = await ff(['--list', '-g', 'quick', '-x', 'rw'], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toContain('generic/002');
    expect(r.stdout).not.toContain('generic/001');
  });

  it('records and compares runs', async () => {
    await ws.writeConfig(config());
    expect((await ff(['record', 'baseline'], { cwd: ws.dir, env: env() })).code).toBe(0);
    const run = await ff(['generic/001', 'generic/003'], { cwd: ws.dir, env: env() });
    expect(run.code).toBe(1);
    // The latest results keep the baseline's other tests; the run alone lacks them.
    const cmp = await ff(['compare', '-a', 'baseline'], { cwd: ws.dir, env: env() });
    expect(cmp.stdout).toMatch(/^Note: B is partial: \d+ of \d+ results come from earlier runs/m);
    expect(cmp.stdout).not.toMatch(/Removed/);
    const runId = JSON.parse(
      await readFile(join(ws.dir, 'results', 'latest-run.json'), 'utf8'),
    ).runId;
    const alone = await ff(['compare', '-a', 'baseline', '-b', runId], { cwd: ws.dir, env: env() });
    expect(alone.stdout).toMatch(/Removed \(\d+\):/);
    const json = await ff(['compare', '-a', 'baseline', '--json'], { cwd: ws.dir, env: env() });
    expect(JSON.parse(json.stdout).version).toBe(1);
  }, 120_000);

  it('times out a hanging test, kills it, and the host keeps serving', async () => {
    await ws.writeConfig(config());
    const r = await ff(['generic/007', 'generic/001', '--test-timeout', '2'], {
      cwd: ws.dir,
      env: env(),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+generic\/007 .*timed out/);
    expect(r.stdout).toMatch(/PASS\s+generic\/001/);
    const left = execFileSync('sh', ['-c', 'pgrep -f "[t]ests/generic/007" || true'])
      .toString()
      .trim();
    expect(left).toBe('');
  }, 120_000);

  it('continues on the other host when one is unreachable', async () => {
    await ws.writeConfig(config());
    const vms = [...ws.vms, 'nohost:/var/lib/xfstests'].join(',');
    const r = await ff(['-g', 'quick', '--vms', vms], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nohost: left the run/);
  }, 120_000);

  it('refuses a host whose key is unknown; --accept-new-host-keys trusts and records it', async () => {
    await ws.writeConfig(config());
    const knownHosts = join(ws.home, '.ssh', 'known_hosts');
    const saved = await readFile(knownHosts, 'utf8');
    try {
      const [first, ...rest] = saved.trim().split('\n');
      await writeFile(knownHosts, `${rest.join('\n')}\n`);
      const refused = await ff(['generic/001'], { cwd: ws.dir, env: env() });
      expect(refused.code).toBe(0); // host2 ran it
      expect(refused.stdout).toMatch(/host1: left the run: .*host key of .* is not in /);
      expect(refused.stdout).toMatch(/--accept-new-host-keys/);
      const accepted = await ff(['generic/001', 'generic/002', '--accept-new-host-keys'], {
        cwd: ws.dir,
        env: env(),
      });
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).not.toMatch(/left the run/);
      const recorded = await readFile(knownHosts, 'utf8');
      expect(recorded).toContain(first ?? 'no first line');
    } finally {
      await writeFile(knownHosts, saved);
    }
  }, 120_000);

  it('fails clearly when no host can be reached', async () => {
    await ws.writeConfig(config());
    const r = await ff(['-g', 'quick', '--vms', 'nohost:/x'], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no supervisor could be started:\n\s+- .*nohost/);
  }, 60_000);

  it("--keep-alive keeps the hosts connected until Ctrl-C, then exits with the tests' status", async () => {
    await ws.writeConfig(config());
    let sent = false;
    const r = await ff(['generic/001', '--keep-alive'], {
      cwd: ws.dir,
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sent || !/PASS +generic\/001/.test(stdoutSoFar)) return;
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }, 100);
        child.once('close', () => clearInterval(timer));
      },
      onStdout: (text) => {
        stdoutSoFar = text;
      },
    });
    expect(sent).toBe(true);
    expect(r.stderr).toMatch(/supervisors kept alive for debugging/);
    expect(r.code).toBe(0);
  });

  it('stops on SIGINT: exit 130, finished results saved, nothing left running', async () => {
    await ws.writeConfig(config());
    let sent = false;
    const r = await ff(['generic/001', 'generic/007'], {
      cwd: ws.dir,
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sent) return;
          const running = execFileSync('sh', ['-c', 'pgrep -f "[t]ests/generic/007" || true'])
            .toString()
            .trim();
          if (running !== '') {
            sent = true;
            child.kill('SIGINT');
          }
        }, 100);
        child.once('close', () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/interrupted/);
    expect(r.stdout).toMatch(/Supervisors/);
    const left = execFileSync('sh', ['-c', 'pgrep -f "[t]ests/generic/007" || true'])
      .toString()
      .trim();
    expect(left).toBe('');
  }, 60_000);
  it("Ctrl-C through the README's CI command (bin/ff) exits 130 and still writes the reports", async () => {
    await ws.writeConfig(config());
    let sent = false;
    const running = () =>
      execFileSync('sh', ['-c', 'pgrep -f "[t]ests/generic/007" || true']).toString().trim();
    // README: `path/to/fast-fstests/bin/ff -g quick --vms ... --junit junit.xml --json report.json`
    // plus the test that hangs, so that the run is still going when the terminal's Ctrl-C comes.
    const args = ['-g', 'quick', 'generic/007', '--vms', ws.vms.join(','), '--junit', 'junit.xml'];
    const r = await ff([...args, '--json', 'report.json'], {
      cwd: ws.dir,
      env: env(),
      command: [BIN_FF],
      detached: true,
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sent || running() === '' || child.pid === undefined) return;
          sent = true;
          process.kill(-child.pid, 'SIGINT'); // the whole foreground job, as a terminal does
        }, 100);
        child.once('close', () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('SIGINT: stopping');
    expect(await readFile(join(ws.dir, 'junit.xml'), 'utf8')).toContain('<testsuite');
    expect(JSON.parse(await readFile(join(ws.dir, 'report.json'), 'utf8')).version).toBe(1);
    expect(running()).toBe('');
  }, 60_000);

  it('a run interrupted before any test finished hides no earlier result: compare and record say it is partial', async () => {
    await ws.writeConfig(config());
    const dir = ['--results-dir', 'results-partial'];
    const full = await ff(['-g', 'quick', ...dir], { cwd: ws.dir, env: env() });
    expect(full.code).toBe(0);
    const tests = Number(/(\d+)\/\1\)$/m.exec(full.stdout)?.[1]);
    expect(tests).toBeGreaterThan(2);
    expect((await ff(['record', 'before', ...dir], { cwd: ws.dir, env: env() })).code).toBe(0);
    let sent = false;
    const interrupted = await ff(['generic/007', ...dir], {
      cwd: ws.dir,
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          const running = execFileSync('sh', ['-c', 'pgrep -f "[t]ests/generic/007" || true']);
          if (sent || running.toString().trim() === '') return;
          sent = true;
          child.kill('SIGINT');
        }, 100);
        child.once('close', () => clearInterval(timer));
      },
    });
    expect(interrupted.code).toBe(130);
    const cmp = await ff(['compare', '-a', 'before', ...dir], { cwd: ws.dir, env: env() });
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/No changes/);
    expect(cmp.stdout).not.toMatch(/Removed/);
    expect(cmp.stdout).toMatch(
      new RegExp(
        `Note: B is partial: run \\S+ was interrupted \\(0 of 1 test has a result\\); ${tests} of ${tests} results come from earlier runs`,
      ),
    );
    const rec = await ff(['record', 'after', ...dir], { cwd: ws.dir, env: env() });
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(new RegExp(`recorded ${tests} tests as "after"`));
    expect(rec.stderr).toMatch(/note: the recorded results are partial: run \S+ was interrupted/);
  }, 120_000);

  it('killed with SIGKILL mid-test: the host kills the test itself once sshd sees the connection close', async () => {
    await ws.writeConfig(config());
    const running = () =>
      execFileSync('sh', ['-c', 'pgrep -f "[t]ests/generic/007" || true']).toString().trim();
    let sent = false;
    const r = await ff(['generic/007'], {
      cwd: ws.dir,
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sent || running() === '') return;
          sent = true;
          child.kill('SIGKILL');
        }, 100);
        child.once('close', () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    // No cleanup ran in ff: the session watcher on the host ends the test within seconds.
    const deadline = Date.now() + 10_000;
    while (running() !== '' && Date.now() < deadline) await new Promise((x) => setTimeout(x, 200));
    expect(running()).toBe('');
  }, 60_000);
});

describe('bad input', () => {
  it('malformed TOML: file:line:column, exit 2', async () => {
    const path = await ws.writeConfig('fstests = "x"\n[test_runner\n');
    const r = await ff(['-g', 'quick'], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}:2:`);
  });

  it('unknown key: key path and the nearest valid key, exit 2', async () => {
    await ws.writeConfig(config('test_timout = 5'));
    const r = await ff(['-g', 'quick'], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/test_runner\.test_timout.*did you mean "test_timeout"/);
  });

  it('wrong type: key path and what was expected, exit 2', async () => {
    await ws.writeConfig(config('retry_failures = "two"'));
    const r = await ff([], { cwd: ws.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/test_runner\.retry_failures/);
  });

  it('probe flags: listed in --help, validated like their config keys (exit 2)', async () => {
    await ws.writeConfig(config());
    const help = await ff(['--help'], { cwd: ws.dir, env: env() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--probe-retries +retries of a failed probe .*\(default 3\)/);
    expect(help.stdout).toMatch(/--probe-retry-interval +seconds between a failed probe/);
    expect(help.stdout).toMatch(/--probe-timeout +seconds one liveness probe may take/);
    const r = await ff(['--probe-retries', '1.5', '--probe-retry-interval', '-1'], {
      cwd: ws.dir,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/test_runner\.probe_retries.*expected an integer, got 1\.5/);
    expect(r.stderr).toMatch(/test_runner\.probe_retry_interval/);
  });

  it('unknown group lists close matches; unknown test; shell characters; empty selection', async () => {
    await ws.writeConfig(config());
    const g = await ff(['-g', 'quik'], { cwd: ws.dir, env: env() });
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/unknown group "quik".*quick/);
    const t = await ff(['generic/999'], { cwd: ws.dir, env: env() });
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/generic\/999/);
    const s = await ff(['generic/001;reboot'], { cwd: ws.dir, env: env() });
    expect(s.code).toBe(2);
    const e = await ff(['-g', 'quick', '-x', 'quick'], { cwd: ws.dir, env: env() });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/no tests to run/);
  });

  it('missing exclude file, missing fstests path, malformed --vms, unknown flag', async () => {
    await ws.writeConfig(config());
    const x = await ff(['-E', 'nope.txt', '--list'], { cwd: ws.dir, env: env() });
    expect(x.code).toBe(0);
    expect(x.stderr).toMatch(/warning: exclude file .*nope\.txt does not exist/);
    await writeFile(join(ws.dir, 'config.toml'), '');
    const p = await ff(['-g', 'quick'], { cwd: ws.dir, env: env() });
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/fstests/);
    await ws.writeConfig(config());
    const v = await ff(['--vms', 'host1'], { cwd: ws.dir, env: env() });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/HOST:PATH/);
    const u = await ff(['--no-such-flag'], { cwd: ws.dir, env: env() });
    expect(u.code).toBe(2);
  });
});

describe('help and completion', () => {
  it('--help lists the subcommands; completion prints a script and completes commands', async () => {
    const help = await ff(['--help'], { cwd: ws.dir, env: env() });
    expect(help.code).toBe(0);
    for (const c of ['compare', 'record', 'doctor', 'demo', 'completion']) {
      expect(help.stdout).toContain(`ff ${c}`);
    }
    const script = await ff(['completion'], { cwd: ws.dir, env: env() });
    expect(script.stdout).toMatch(/ff --get-yargs-completions/);
    const words = await ff(['--get-yargs-completions', 'ff', 'co'], { cwd: ws.dir, env: env() });
    expect(words.code).toBe(0);
    expect(words.stdout.split('\n')).toEqual(expect.arrayContaining(['compare', 'completion']));
  });
});
