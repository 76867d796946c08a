import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findConfigTableDrift,
  parseConfigTables,
  renderConfigTables,
  replaceConfigTables,
  TABLE_END,
  TABLE_START,
} from '../../../scripts/config-table.js';
import { describeConfig } from '../../../src/config/describe-config.js';
import { SCHEMA } from '../../../src/config/schema.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const GENERATED = `${TABLE_START}\n\n${renderConfigTables()}\n\n${TABLE_END}\n`;

function drift(markdown: string): string[] {
  return findConfigTableDrift(markdown);
}

describe("README's configuration table", () => {
  it('agrees with the schema: every variable once, with its field, default and doc (else run npm run docs:config)', () => {
    expect(drift(README)).toEqual([]);
  });

  it('lists every TESSERA_* variable the schema knows, TESSERA_CONFIG_FILE included', () => {
    const listed = parseConfigTables(README)!.map((row) => row.variable.replace(/`/g, ''));
    expect(listed.sort()).toEqual(
      describeConfig()
        .map((row) => row.variable)
        .sort(),
    );
    expect(listed).toContain(SCHEMA.maxConnections.variable);
  });

  it('the generated text has no drift, and regenerating a README is stable', () => {
    expect(drift(GENERATED)).toEqual([]);
    const once = replaceConfigTables(`intro\n${TABLE_START}\nold\n${TABLE_END}\noutro\n`);
    expect(replaceConfigTables(once)).toBe(once);
    expect(once.startsWith('intro\n') && once.endsWith(`${TABLE_END}\noutro\n`)).toBe(true);
  });
});

describe('the drift check fails on a doctored table', () => {
  const row = (variable: string) =>
    GENERATED.split('\n').find((line) => line.startsWith(`| \`${variable}\``))!;

  it('a missing row', () => {
    expect(drift(GENERATED.replace(`${row('TESSERA_LOG_FORMAT')}\n`, ''))).toEqual([
      'TESSERA_LOG_FORMAT: missing',
    ]);
  });

  it('a variable the schema does not know', () => {
    const doctored = GENERATED.replace(
      row('TESSERA_PORT'),
      `${row('TESSERA_PORT')}\n| \`TESSERA_PORTS\` | \`ports\` | \`1\` | typo |`,
    );
    expect(drift(doctored)).toEqual(['TESSERA_PORTS: not in the schema']);
  });

  it('a wrong default', () => {
    const doctored = GENERATED.replace(row('TESSERA_PORT'), row('TESSERA_PORT').replace('`3000`', '`8080`'));
    expect(drift(doctored)).toEqual(['TESSERA_PORT: default is `8080`, the schema says `3000`']);
  });

  it('a wrong field or meaning', () => {
    const line = row('TESSERA_LOCKOUT_MAX');
    const doctored = GENERATED.replace(
      line,
      line.replace('`lockout.maxSeconds`', '`lockoutMax`').replace('longest lock', 'cap'),
    );
    expect(drift(doctored)).toEqual([
      'TESSERA_LOCKOUT_MAX: field is `lockoutMax`, the schema says `lockout.maxSeconds`',
      'TESSERA_LOCKOUT_MAX: meaning is cap, the schema says longest lock',
    ]);
  });

  it('a row that groups several variables, as the old table did', () => {
    const doctored = GENERATED.replace(
      row('TESSERA_SESSION_IDLE_TIMEOUT'),
      '| `TESSERA_SESSION_IDLE_TIMEOUT`, `_ABSOLUTE_TIMEOUT` | — | `30m`, `7d` | session-mode timeouts |',
    ).replace(`${row('TESSERA_SESSION_ABSOLUTE_TIMEOUT')}\n`, '');
    expect(drift(doctored)).toEqual([
      'a row must name exactly one variable: `TESSERA_SESSION_IDLE_TIMEOUT`, `_ABSOLUTE_TIMEOUT`',
      'TESSERA_SESSION_IDLE_TIMEOUT: missing',
      'TESSERA_SESSION_ABSOLUTE_TIMEOUT: missing',
    ]);
  });

  it('a row listed twice', () => {
    const doctored = GENERATED.replace(row('TESSERA_HOST'), `${row('TESSERA_HOST')}\n${row('TESSERA_HOST')}`);
    expect(drift(doctored)).toEqual(['TESSERA_HOST: listed twice']);
  });

  it('no markers', () => {
    expect(drift('| `TESSERA_HOST` | `host` | `127.0.0.1` | x |')).toEqual([
      `no ${TABLE_START} … ${TABLE_END} markers`,
    ]);
    expect(() => replaceConfigTables('no markers here')).toThrow(/markers/);
  });
});
