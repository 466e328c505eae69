import { readToken, webSocketUrl } from './settings';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('readToken', () => {
  it('prefers ?access_token= and remembers it', () => {
    const storage = new MemoryStorage();
    expect(readToken({ search: '?access_token=abc123' }, storage)).toBe('abc123');
    expect(readToken({ search: '' }, storage)).toBe('abc123');
  });

  it('is undefined with neither', () => {
    expect(readToken({ search: '?x=1' }, new MemoryStorage())).toBeUndefined();
  });
});

describe('webSocketUrl', () => {
  it('uses the page origin when no gateway is given, wss for https', () => {
    expect(webSocketUrl('', 'http://localhost:8080')).toBe('ws://localhost:8080/ws');
    expect(webSocketUrl('https://gw.example:8443/doflamingo/', 'http://flamingo.example')).toBe('wss://gw.example:8443/doflamingo/ws');
  });
});
