import { tsvString, tsvStringArray } from './table-rows';

describe('TabSeparated fields', () => {
  it('escapes backslash, tab, newline, carriage return and NUL in strings', () => {
    expect(tsvString('a\\b\tc\nd\re\0f')).toBe('a\\\\b\\tc\\nd\\re\\0f');
    expect(tsvString("plain it's")).toBe("plain it's");
  });

  it('quotes array elements and escapes their quotes too', () => {
    expect(tsvStringArray([])).toBe('[]');
    expect(tsvStringArray(["it's", 'x\ty'])).toBe("['it\\'s','x\\ty']");
  });
});
