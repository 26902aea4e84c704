import { describe, expect, it } from 'vitest';
import { buildBuildArgs, buildVmArgs, machineName } from '../../src/mkosi/command.js';
import { MkosiOptionError } from '../../src/mkosi/errors.js';
import { mkosiFeatures } from '../../src/mkosi/version.js';

const v26 = mkosiFeatures({ major: 26, minor: 0, raw: '26' });
const v25 = mkosiFeatures({ major: 25, minor: 3, raw: '25.3' });
const v24 = mkosiFeatures({ major: 24, minor: 0, raw: '24' });

describe('machineName', () => {
  it('is ff-<n>-<random>, distinct per call', () => {
    expect(machineName(3, 'abc123')).toBe('ff-3-abc123');
    expect(machineName(1)).toMatch(/^ff-1-[0-9a-f]{6}$/);
    expect(machineName(1)).not.toBe(machineName(1));
  });
  it('rejects names that are not host names', () => {
    expect(() => machineName(1, 'a b')).toThrow(MkosiOptionError);
  });
});

describe('buildVmArgs', () => {
  it('v26 tcp: ephemeral=yes, runtime-network none, ssh_listen, hostfwd after --', () => {
    expect(
      buildVmArgs({
        features: v26,
        machine: 'ff-1-aaaaaa',
        network: { kind: 'tcp', port: 40022 },
        options: ['--profile=fstests'],
        include: ['/etc/ff/extra.conf'],
        qemuArgs: ['-device', 'virtio-blk-pci,drive=scratch,serial=scratch'],
      }),
    ).toEqual([
      '--machine',
      'ff-1-aaaaaa',
      '--ephemeral=yes',
      '--runtime-network=none',
      '--kernel-command-line-extra=systemd.ssh_listen=22',
      '--include=/etc/ff/extra.conf',
      '--profile=fstests',
      'vm',
      '--',
      '-nic',
      'user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:40022-:22',
      '-device',
      'virtio-blk-pci,drive=scratch,serial=scratch',
    ]);
  });

  it('v26 vsock with a CID, no QEMU args: no --', () => {
    expect(
      buildVmArgs({ features: v26, machine: 'ff-2-b', network: { kind: 'vsock', cid: 1042 } }),
    ).toEqual(['--machine', 'ff-2-b', '--ephemeral=yes', '--vsock-cid=1042', 'vm']);
  });

  it('vsock without a CID leaves the choice to mkosi', () => {
    expect(buildVmArgs({ features: v26, machine: 'ff-2-b', network: { kind: 'vsock' } })).toEqual([
      '--machine',
      'ff-2-b',
      '--ephemeral=yes',
      'vm',
    ]);
  });

  it('v25: verb vm, bare boolean, QEMU args right after the verb', () => {
    expect(
      buildVmArgs({ features: v25, machine: 'm', network: { kind: 'tcp', port: 2222 } }),
    ).toEqual([
      '--machine',
      'm',
      '--ephemeral',
      '--runtime-network=none',
      '--kernel-command-line-extra=systemd.ssh_listen=22',
      'vm',
      '-nic',
      'user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:2222-:22',
    ]);
  });

  it('v24: verb qemu and --qemu-vsock-cid; ephemeral can be turned off', () => {
    expect(
      buildVmArgs({
        features: v24,
        machine: 'm',
        network: { kind: 'vsock', cid: 7 },
        ephemeral: false,
      }),
    ).toEqual(['--machine', 'm', '--qemu-vsock-cid=7', 'qemu']);
  });

  it('rejects a bad CID, port or machine name', () => {
    const base = { features: v26, machine: 'm' } as const;
    expect(() => buildVmArgs({ ...base, network: { kind: 'vsock', cid: 2 } })).toThrow(/CID 2/);
    expect(() => buildVmArgs({ ...base, network: { kind: 'tcp', port: 0 } })).toThrow(/port 0/);
    expect(() =>
      buildVmArgs({ ...base, machine: '-rf', network: { kind: 'tcp', port: 22 } }),
    ).toThrow(MkosiOptionError);
  });
});

describe('buildBuildArgs', () => {
  it('same options as the VMs, -f repeated, then build', () => {
    expect(buildBuildArgs({ options: ['--profile=fstests'], include: ['x'], force: 2 })).toEqual([
      '--include=x',
      '--profile=fstests',
      '-f',
      '-f',
      'build',
    ]);
    expect(buildBuildArgs()).toEqual(['-f', 'build']);
    expect(buildBuildArgs({ force: 0 })).toEqual(['build']);
    expect(() => buildBuildArgs({ force: -1 })).toThrow(MkosiOptionError);
  });
});
