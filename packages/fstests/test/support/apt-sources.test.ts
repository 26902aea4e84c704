import { describe, expect, it } from 'vitest';
import { aptSources, debianUris } from './apt-sources.js';

const deb822 = `Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

describe('apt sources for the real-mkosi image (from the host mirror)', () => {
  it('reads URIs from deb822 stanzas and one-line entries', () => {
    expect(debianUris(deb822)).toEqual([
      'http://mirror.example/debian',
      'http://mirror.example/debian-security',
    ]);
    expect(debianUris('# c\ndeb [arch=amd64] http://m.example/debian bookworm main\n')).toEqual([
      'http://m.example/debian',
    ]);
  });

  it("names the image's release on the host's archive and security archive, without debug", async () => {
    const text = await aptSources(deb822);
    expect(text).toContain('URIs: http://mirror.example/debian\nSuites: trixie trixie-updates\n');
    expect(text).toContain(
      'URIs: http://mirror.example/debian-security\nSuites: trixie-security\n',
    );
    expect(text).not.toMatch(/debug/);
  });

  it('is undefined when the host has no Debian archive', async () => {
    expect(await aptSources('deb http://archive.example/ubuntu noble main\n')).toBeUndefined();
  });
});
