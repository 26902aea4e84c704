import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfigText, validateConfig } from '../../src/config/load.js';
import { KNOWN_KEYS } from '../../src/config/schema.js';

const EXAMPLE = new URL('../../config.toml.example', import.meta.url);

describe('config.toml.example', () => {
  it('documents every key, and is valid once uncommented', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    const uncommented = text.replace(/^# ([a-z_]+ = )/gm, '$1');
    const input = parseConfigText(uncommented, 'config.toml.example');
    for (const [table, keys] of Object.entries(KNOWN_KEYS)) {
      const section = table === '' ? input : input[table];
      expect(section, table).toBeTypeOf('object');
      for (const key of keys) expect(Object.keys(section ?? {}), `${table}.${key}`).toContain(key);
    }
    expect(validateConfig(input, 'config.toml.example').test_runner.max_supervisor_restarts).toBe(
      3,
    );
  });

  it('is valid as shipped (every key commented) and gives the defaults', async () => {
    const input = parseConfigText(await readFile(EXAMPLE, 'utf8'), 'config.toml.example');
    expect(validateConfig(input, 'x')).toEqual(validateConfig({}, 'x'));
  });
});
