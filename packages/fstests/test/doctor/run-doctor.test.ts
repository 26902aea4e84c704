import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { doctorPassed, runDoctor } from '../../src/doctor/run-doctor.js';
import type { DoctorCheck, DoctorProbes, ProbeRun } from '../../src/doctor/types.js';
import type { AccelChoice } from '../../src/qemu/accel.js';

const pkcs8Key = String(
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }),
);

/** A machine described by data: which commands print what, which paths exist. */
interface FakeMachine {
  commands?: Record<string, ProbeRun>;
  files?: Record<string, string>;
  accessible?: string[];
  dirs?: string[];
  accel?: AccelChoice;
}

function fakeProbes(m: FakeMachine): DoctorProbes {
  return {
    run: async (file) => m.commands?.[file] ?? { status: 'not-found', output: '' },
    access: async (path) => (m.accessible ?? []).includes(path) || path in (m.files ?? {}),
    nonEmptyDir: async (path) => (m.dirs ?? []).includes(path),
    readText: async (path) => m.files?.[path],
    detectAccel: async () => m.accel ?? { accel: 'kvm' },
  };
}

const healthy: FakeMachine = {
  commands: {
    'qemu-system-x86_64': { status: 'ok', output: 'QEMU emulator version 7.2.22\nCopyright' },
    mkosi: { status: 'ok', output: 'mkosi 26\n' },
    socat: {
      status: 'ok',
      output: 'socat by Gerhard Rieger\nsocat version 1.7.4.4 on 06 Nov 2022\n',
    },
  },
  accessible: ['/dev/kvm', '/dev/vhost-vsock', '/xfs/check', '/cfg/mkosi.conf'],
  dirs: ['/xfs/tests', '/cfg/mkosi.output'],
  files: { '/cfg/mkosi.key': pkcs8Key },
};

function byName(checks: DoctorCheck[], name: string): DoctorCheck {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name} in ${checks.map((c) => c.name).join(', ')}`);
  return found;
}

describe('runDoctor', () => {
  it('all green on a healthy mkosi machine, in a stable order', async () => {
    const checks = await runDoctor({
      fstests: '/xfs',
      mkosi: { configDir: '/cfg' },
      probes: fakeProbes(healthy),
    });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['qemu-system-x86_64', true],
      ['/dev/kvm', true],
      ['fstests', true],
      ['mkosi', true],
      ['mkosi config', true],
      ['mkosi image', true],
      ['SSH key /cfg/mkosi.key', true],
      ['/dev/vhost-vsock', true],
      ['socat', true],
    ]);
    expect(byName(checks, 'mkosi').detail).toBe('mkosi 26');
    expect(byName(checks, 'SSH key /cfg/mkosi.key').detail).toBe('PKCS#8, converted for ssh2');
    expect(byName(checks, 'socat').detail).toBe('socat version 1.7.4.4 on 06 Nov 2022');
    expect(doctorPassed(checks)).toBe(true);
  });

  it('says exactly what to fix on a bare machine', async () => {
    const checks = await runDoctor({
      mkosi: { configDir: '/cfg' },
      probes: fakeProbes({}),
    });
    expect(doctorPassed(checks)).toBe(false);
    expect(byName(checks, 'qemu-system-x86_64')).toMatchObject({
      ok: false,
      required: true,
      fix: expect.stringMatching(/apt-get install qemu-system-x86/),
    });
    expect(byName(checks, 'mkosi').fix).toMatch(/install mkosi 26 or newer/);
    expect(byName(checks, 'fstests').fix).toMatch(/set fstests = /);
    expect(byName(checks, 'mkosi config')).toMatchObject({ detail: 'no mkosi.conf in /cfg' });
    expect(byName(checks, 'SSH key /cfg/mkosi.key').fix).toBe('run `mkosi genkey` in /cfg');
    // Missing vsock pieces are not fatal under transport auto: TCP is used.
    expect(byName(checks, '/dev/vhost-vsock')).toMatchObject({ ok: false, required: false });
    expect(byName(checks, 'socat')).toMatchObject({ ok: false, required: false });
    expect(byName(checks, '/dev/kvm')).toMatchObject({ ok: false, required: false });
  });

  it('mkosi too old, or broken', async () => {
    const old = await runDoctor({
      mkosi: { configDir: '/cfg' },
      probes: fakeProbes({ commands: { mkosi: { status: 'ok', output: 'mkosi 25.3' } } }),
    });
    expect(byName(old, 'mkosi')).toMatchObject({
      ok: false,
      detail: 'mkosi 25.3 is older than 26',
    });
    const broken = await runDoctor({
      mkosi: { configDir: '/cfg' },
      probes: fakeProbes({ commands: { mkosi: { status: 'failed', output: 'Traceback: boom' } } }),
    });
    expect(byName(broken, 'mkosi').detail).toBe('"mkosi --version" failed: Traceback: boom');
  });

  it('an unbuilt image is fine when the run builds it', async () => {
    const m: FakeMachine = { ...healthy, dirs: ['/xfs/tests'] };
    const unbuilt = await runDoctor({ mkosi: { configDir: '/cfg' }, probes: fakeProbes(m) });
    expect(byName(unbuilt, 'mkosi image')).toMatchObject({
      ok: false,
      fix: 'run `mkosi -f build` in /cfg, or set [mkosi] build = true',
    });
    const willBuild = await runDoctor({
      mkosi: { configDir: '/cfg', build: true },
      probes: fakeProbes(m),
    });
    expect(byName(willBuild, 'mkosi image').ok).toBe(true);
  });

  it('transport vsock makes the device and socat required; tcp skips socat', async () => {
    const m: FakeMachine = { ...healthy, accessible: ['/dev/kvm'] };
    const vsock = await runDoctor({
      mkosi: { configDir: '/cfg', transport: 'vsock' },
      probes: fakeProbes(m),
    });
    expect(byName(vsock, '/dev/vhost-vsock')).toMatchObject({ ok: false, required: true });
    expect(byName(vsock, 'socat')).toMatchObject({ ok: true, required: true });
    const tcp = await runDoctor({
      mkosi: { configDir: '/cfg', transport: 'tcp' },
      probes: fakeProbes(m),
    });
    expect(tcp.some((c) => c.name === 'socat')).toBe(false);
  });

  it('KVM that is accessible but hangs guests is reported from the probe boot', async () => {
    const checks = await runDoctor({
      probes: fakeProbes({
        ...healthy,
        accel: { accel: 'tcg', notice: 'KVM probe boot did not finish within 5s: using TCG' },
      }),
    });
    expect(byName(checks, '/dev/kvm')).toMatchObject({
      ok: false,
      required: false,
      detail: 'KVM probe boot did not finish within 5s: using TCG',
    });
    const tcg = await runDoctor({ qemu: { accel: 'tcg' }, probes: fakeProbes({}) });
    expect(byName(tcg, '/dev/kvm')).toMatchObject({
      ok: true,
      detail: 'accel = "tcg": KVM is not used',
    });
  });

  it('QEMU supervisor: kernel/initrd and the key', async () => {
    const checks = await runDoctor({
      qemu: { kernel: '/boot/vmlinuz', initrd: '/a/initrd', sshKey: '/a/id' },
      probes: fakeProbes({
        ...healthy,
        accessible: ['/boot/vmlinuz'],
        files: { '/a/id': 'garbage' },
      }),
    });
    expect(byName(checks, 'QEMU kernel').ok).toBe(true);
    expect(byName(checks, 'QEMU initrd')).toMatchObject({
      ok: false,
      detail: '/a/initrd is missing or unreadable',
    });
    expect(byName(checks, 'SSH key /a/id')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/ssh2 cannot use/),
    });
    const none = await runDoctor({ qemu: {}, probes: fakeProbes(healthy) });
    expect(byName(none, 'QEMU kernel')).toMatchObject({
      ok: false,
      detail: '[qemu] kernel is not set',
    });
    const imageOnly = await runDoctor({
      qemu: { image: '/a/root.img' },
      probes: fakeProbes(healthy),
    });
    expect(byName(imageOnly, 'QEMU kernel').ok).toBe(false);
    expect(byName(none, 'QEMU SSH key').ok).toBe(false);
  });
});

describe('runDoctor on this machine (real probes)', () => {
  it('finds QEMU and socat, and no vhost-vsock here', async () => {
    const checks = await runDoctor({
      qemu: { accel: 'tcg' },
      mkosi: { configDir: '/nonexistent', mkosiPath: '/nonexistent/mkosi' },
    });
    expect(byName(checks, 'qemu-system-x86_64').detail).toMatch(/QEMU emulator version/);
    expect(byName(checks, 'socat').ok).toBe(true);
    expect(byName(checks, 'mkosi').ok).toBe(false);
  });
});
