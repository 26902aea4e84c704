import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cidFromProxyCommand,
  machineStateDir,
  machineStatePath,
  parseMachineState,
  waitForMachineState,
} from '../../src/mkosi/state-file.js';
import { useTempDir } from './temp-dir.js';

describe('machine state file', () => {
  it('lives under XDG_RUNTIME_DIR, or /run for root', () => {
    expect(machineStateDir({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toBe(
      '/run/user/1000/mkosi/machine',
    );
    expect(machineStateDir({}, 0)).toBe('/run/mkosi/machine');
    expect(machineStateDir({}, 1000)).toBe('/run/user/1000/mkosi/machine');
    expect(machineStatePath('ff-1-a', '/d')).toBe('/d/ff-1-a.json');
  });

  it('parses the keys mkosi writes', () => {
    expect(
      parseMachineState(
        JSON.stringify({
          Machine: 'ff-1-a',
          Pid: 42,
          ProxyCommand: 'socat - VSOCK-CONNECT:1234:%p',
          SshKey: '/cfg/mkosi.key',
        }),
      ),
    ).toEqual({
      machine: 'ff-1-a',
      pid: 42,
      proxyCommand: 'socat - VSOCK-CONNECT:1234:%p',
      sshKey: '/cfg/mkosi.key',
    });
    expect(parseMachineState('{"Machine": 1}')).toBeUndefined();
    expect(parseMachineState('{"Mach')).toBeUndefined();
  });

  it('reads the CID from the ProxyCommand', () => {
    expect(cidFromProxyCommand('socat - VSOCK-CONNECT:1234:%p')).toBe(1234);
    expect(cidFromProxyCommand('/usr/lib/systemd/systemd-ssh-proxy vsock/77 %p')).toBe(77);
    expect(cidFromProxyCommand('nc host 22')).toBeUndefined();
  });

  describe('waitForMachineState', () => {
    const tmp = useTempDir('ff-mkosi-state-');

    it('resolves once the file appears', async () => {
      const path = join(tmp.path(), 'm.json');
      setTimeout(() => void writeFile(path, '{"Machine":"m","Pid":1}'), 150);
      await expect(waitForMachineState(path, AbortSignal.timeout(5000), 20)).resolves.toMatchObject(
        { machine: 'm', pid: 1 },
      );
    });

    it('rejects with the signal reason', async () => {
      await expect(
        waitForMachineState(join(tmp.path(), 'never.json'), AbortSignal.timeout(100), 20),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
    });
  });
});
