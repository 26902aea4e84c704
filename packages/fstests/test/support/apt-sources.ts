/**
 * apt sources for the fstests image built from the host's own Debian mirror. mkosi's default
 * repositories include Debian's debug archive, which mirrors often do not carry (apt then fails
 * with "not signed"); a sandbox tree with `etc/apt/sources.list.d/mkosi.sources` replaces them.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const imageConf = resolve(import.meta.dirname, '../../mkosi/mkosi.conf');

/** `URIs:` values of deb822 stanzas, and URIs of one-line `deb` entries, in `text`. */
export function debianUris(text: string): string[] {
  const uris: string[] = [];
  for (const line of text.split('\n')) {
    const deb822 = /^URIs:\s*(.+)$/i.exec(line.trim());
    if (deb822?.[1]) uris.push(...deb822[1].split(/\s+/));
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line.trim());
    if (oneLine?.[1]) uris.push(oneLine[1]);
  }
  return uris;
}

async function hostAptText(): Promise<string> {
  const parts: string[] = [];
  const read = (path: string) => readFile(path, 'utf8').catch(() => '');
  parts.push(await read('/etc/apt/sources.list'));
  const dir = '/etc/apt/sources.list.d';
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.sort()) {
    if (name.endsWith('.sources') || name.endsWith('.list'))
      parts.push(await read(join(dir, name)));
  }
  return parts.join('\n');
}

/**
 * deb822 sources for the image's release (`Release=` of packages/fstests/mkosi/mkosi.conf) on
 * the host's Debian mirror: the archive and, when the host has one, the security archive.
 * Undefined when the host names no Debian archive (mkosi's defaults then apply).
 */
export async function aptSources(hostText?: string): Promise<string | undefined> {
  const uris = debianUris(hostText ?? (await hostAptText()));
  const archive = uris.find((u) => /\/debian\/?$/.test(u));
  if (!archive) return undefined;
  const security = uris.find((u) => /\/debian-security\/?$/.test(u));
  const release = /^Release=(\S+)$/m.exec(await readFile(imageConf, 'utf8'))?.[1] ?? 'trixie';
  const keyring = 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg';
  const stanza = (uri: string, suites: string) =>
    `Types: deb\nURIs: ${uri}\nSuites: ${suites}\nComponents: main\n${keyring}\n`;
  return [
    stanza(archive, `${release} ${release}-updates`),
    ...(security ? [stanza(security, `${release}-security`)] : []),
  ].join('\n');
}
