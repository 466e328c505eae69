import { GatewaySettings } from '@doflamingo/config';
import { checkKey, originAllowed, presentedKey } from './api-key';

describe('API keys', () => {
  const settings = (overrides: Partial<GatewaySettings> = {}) => ({ auth: 'token', apiKeys: ['k'.repeat(20)], allowedOrigins: ['https://flamingo.example'], ...overrides }) as GatewaySettings;

  it('reads the key from a bearer header, X-API-Key, or the access_token query', () => {
    expect(presentedKey({ authorization: 'Bearer abc' }, '/ws')).toBe('abc');
    expect(presentedKey({ 'x-api-key': 'def' }, '/ws')).toBe('def');
    expect(presentedKey({}, '/ws?access_token=ghi&x=1')).toBe('ghi');
    expect(presentedKey({}, '/ws')).toBeUndefined();
  });

  it('accepts a configured key, refuses a missing or wrong one, and lets anyone in with auth none', () => {
    expect(checkKey(settings(), 'k'.repeat(20))).toEqual({ ok: true });
    expect(checkKey(settings(), undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(checkKey(settings(), 'k'.repeat(19))).toEqual({ ok: false, reason: 'wrong' });
    expect(checkKey(settings({ auth: 'none' }), undefined)).toEqual({ ok: true });
  });

  it('allows listed origins, clients without an Origin, and everyone with *', () => {
    expect(originAllowed(settings(), 'https://flamingo.example')).toBe(true);
    expect(originAllowed(settings(), 'https://evil.example')).toBe(false);
    expect(originAllowed(settings(), undefined)).toBe(true);
    expect(originAllowed(settings({ allowedOrigins: ['*'] }), 'https://evil.example')).toBe(true);
  });
});
