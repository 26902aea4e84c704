import { join } from 'node:path';
import { toSsh2PrivateKey } from '../mkosi/key.js';
import { RECOMMENDED_MKOSI_VERSION, parseMkosiVersion } from '../mkosi/version.js';
import type { AccelMode } from '../qemu/accel.js';
import type { DoctorCheck, DoctorProbes } from './types.js';

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

function fail(name: string, detail: string, fix: string, required = true): DoctorCheck {
  return { name, ok: false, required, detail, fix };
}

function pass(name: string, detail: string, required = true): DoctorCheck {
  return { name, ok: true, required, detail };
}

/** QEMU can be run. */
export async function checkQemu(
  p: DoctorProbes,
  binary: string,
  signal?: AbortSignal,
): Promise<DoctorCheck> {
  const r = await p.run(binary, ['--version'], signal);
  if (r.status === 'ok') return pass(binary, firstLine(r.output));
  return fail(
    binary,
    r.status === 'not-found' ? 'not installed or not on PATH' : firstLine(r.output),
    'install QEMU: apt-get install qemu-system-x86 (Fedora: dnf install qemu-system-x86)',
  );
}

/** /dev/kvm is usable, and under `auto` a probe boot shows guests actually run with KVM. */
export async function checkKvm(
  p: DoctorProbes,
  mode: AccelMode,
  signal?: AbortSignal,
): Promise<DoctorCheck> {
  const name = '/dev/kvm';
  if (mode === 'tcg') return pass(name, 'accel = "tcg": KVM is not used', false);
  if (!(await p.access(name, 'read-write'))) {
    return fail(
      name,
      'missing or not accessible: VMs run under TCG, several times slower',
      'enable virtualisation in the firmware, load kvm_intel or kvm_amd, and add your user to the kvm group',
      mode === 'kvm',
    );
  }
  if (mode === 'kvm') return pass(name, 'accessible (accel = "kvm")');
  try {
    const choice = await p.detectAccel('auto', signal);
    if (choice.accel === 'kvm') return pass(name, 'a probe boot under KVM works', false);
    return fail(
      name,
      choice.notice ?? 'KVM is accessible but a probe boot under it failed: VMs use TCG',
      'check the host\'s KVM (dmesg, nested virtualisation); set accel = "tcg" to skip the probe',
      false,
    );
  } catch (error) {
    return fail(
      name,
      `probe boot failed: ${String(error)}`,
      'set accel = "tcg" to skip the probe',
      false,
    );
  }
}

/** mkosi can be run and is new enough (mkosi-kernel needs 26). */
export async function checkMkosi(
  p: DoctorProbes,
  mkosiPath: string,
  signal?: AbortSignal,
): Promise<DoctorCheck> {
  const name = 'mkosi';
  const install = `install mkosi ${RECOMMENDED_MKOSI_VERSION} or newer (e.g. pipx install git+https://github.com/systemd/mkosi) or set the mkosi path`;
  const r = await p.run(mkosiPath, ['--version'], signal);
  if (r.status === 'not-found') return fail(name, `"${mkosiPath}" not found`, install);
  const version = parseMkosiVersion(r.output);
  if (r.status !== 'ok' || !version) {
    return fail(name, `"${mkosiPath} --version" failed: ${firstLine(r.output)}`, install);
  }
  if (version.major < RECOMMENDED_MKOSI_VERSION) {
    return fail(name, `mkosi ${version.raw} is older than ${RECOMMENDED_MKOSI_VERSION}`, install);
  }
  return pass(name, `mkosi ${version.raw}`);
}

/** socat, the vsock proxy. */
export async function checkSocat(
  p: DoctorProbes,
  required: boolean,
  signal?: AbortSignal,
): Promise<DoctorCheck> {
  const r = await p.run('socat', ['-V'], signal);
  if (r.status === 'ok') {
    const line = r.output.split('\n').find((l) => /socat version/i.test(l)) ?? firstLine(r.output);
    return pass('socat', line.trim(), required);
  }
  return fail(
    'socat',
    'not installed: SSH over vsock is not possible',
    'apt-get install socat',
    required,
  );
}

/** /dev/vhost-vsock, which vsock needs; without it the TCP fallback is used. */
export async function checkVhostVsock(p: DoctorProbes, required: boolean): Promise<DoctorCheck> {
  const name = '/dev/vhost-vsock';
  if (await p.access(name, 'read-write'))
    return pass(name, 'present: SSH goes over vsock', required);
  return fail(
    name,
    required
      ? 'absent, but transport = "vsock"'
      : 'absent: SSH goes over a TCP port forward instead (works, one port per VM)',
    'modprobe vhost_vsock (and make the device accessible), or use transport = "tcp"',
    required,
  );
}

/** An SSH private key is readable and ssh2 can use it (PKCS#8 keys are converted). */
export async function checkKey(
  p: DoctorProbes,
  path: string,
  howToMake: string,
): Promise<DoctorCheck> {
  const name = `SSH key ${path}`;
  const text = await p.readText(path);
  if (text === undefined) return fail(name, 'missing or unreadable', howToMake);
  try {
    await toSsh2PrivateKey(text, path);
    return pass(name, /BEGIN PRIVATE KEY/.test(text) ? 'PKCS#8, converted for ssh2' : 'usable');
  } catch (error) {
    return fail(name, error instanceof Error ? error.message : String(error), howToMake);
  }
}

/** The local fstests checkout that tests are collected from. */
export async function checkFstests(p: DoctorProbes, dir: string | undefined): Promise<DoctorCheck> {
  const name = 'fstests';
  const fix = 'set fstests = "/path/to/xfstests-dev" in config.toml (a built fstests checkout)';
  if (!dir) return fail(name, 'no fstests path configured', fix);
  if (!(await p.access(join(dir, 'check'), 'execute')))
    return fail(name, `${dir}/check is missing or not executable`, fix);
  if (!(await p.nonEmptyDir(join(dir, 'tests'))))
    return fail(name, `${dir}/tests is missing or empty`, fix);
  return pass(name, dir);
}

/** The files the QEMU supervisor boots. */
export async function checkQemuImage(
  p: DoctorProbes,
  q: { kernel?: string; initrd?: string; image?: string },
): Promise<DoctorCheck[]> {
  const fix =
    'build one (packages/fstests/appliance/build.sh OUTDIR makes a test appliance: initrd.cpio.gz, and rootfs.ext4 as an image) and set [qemu] kernel/initrd/image';
  // QEMU boots the kernel directly (-kernel), also with a root image.
  if (!q.kernel) return [fail('QEMU kernel', '[qemu] kernel is not set', fix)];
  const files = [
    ['QEMU kernel', q.kernel],
    ['QEMU initrd', q.initrd],
    ['QEMU image', q.image],
  ] as const;
  const checks: DoctorCheck[] = [];
  for (const [name, path] of files) {
    if (!path) continue;
    checks.push(
      (await p.access(path, 'read'))
        ? pass(name, path)
        : fail(name, `${path} is missing or unreadable`, fix),
    );
  }
  return checks;
}

/** The mkosi config directory and a built image in it. */
export async function checkMkosiConfig(
  p: DoctorProbes,
  configDir: string | undefined,
  build: boolean,
): Promise<DoctorCheck[]> {
  const fixDir =
    'set [mkosi] config to the directory holding mkosi.conf (e.g. a mkosi-kernel checkout)';
  if (!configDir) return [fail('mkosi config', 'no [mkosi] config directory set', fixDir)];
  const hasConf =
    (await p.access(join(configDir, 'mkosi.conf'), 'read')) ||
    (await p.nonEmptyDir(join(configDir, 'mkosi.conf.d')));
  if (!hasConf) return [fail('mkosi config', `no mkosi.conf in ${configDir}`, fixDir)];
  const output = join(configDir, 'mkosi.output');
  const built = await p.nonEmptyDir(output);
  const image = built
    ? pass('mkosi image', `${output} has output`)
    : build
      ? pass('mkosi image', 'not built yet; [mkosi] build = true builds it before the run')
      : fail(
          'mkosi image',
          `nothing in ${output}`,
          `run \`mkosi -f build\` in ${configDir}, or set [mkosi] build = true`,
        );
  return [pass('mkosi config', configDir), image];
}
