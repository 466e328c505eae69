import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, CLOSE_CODES, WS_JSON_SUBPROTOCOL, WS_PROTOCOL_VERSION } from '@doflamingo/contracts';
import { GATEWAY_CLOSE_CODES, JSON_SUBPROTOCOL, PROTOCOL_VERSION, SUBSCRIPTION_CHANNELS } from './doflamingo-client';

describe('the client and libs/contracts', () => {
  it('uses the contract\'s protocol constants (copied so the browser build needs no zod)', () => {
    expect(JSON_SUBPROTOCOL).toBe(WS_JSON_SUBPROTOCOL);
    expect(PROTOCOL_VERSION).toBe(WS_PROTOCOL_VERSION);
    expect(GATEWAY_CLOSE_CODES).toEqual(CLOSE_CODES);
    expect([...SUBSCRIPTION_CHANNELS]).toEqual([...CHANNELS]);
  });

  it('imports only types from the contracts, and nothing from Node, ws or zod', () => {
    const sources = readdirSync(__dirname).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));
    expect(sources).toContain('doflamingo-client.ts');
    for (const file of sources) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      const imports = [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)].map(([, type, from]) => ({ type: Boolean(type), from }));
      for (const { type, from } of imports) {
        const allowed = from.startsWith('./') || (from === '@doflamingo/contracts' && type);
        expect({ file, from, allowed }).toEqual({ file, from, allowed: true });
      }
      expect(text).not.toMatch(/\brequire\(/);
    }
  });
});
