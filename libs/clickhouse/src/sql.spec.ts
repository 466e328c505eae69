import { identifier, numberLiteral, qualified, stringLiteral, UnsafeSqlValueError } from './sql';

describe('sql', () => {
  it.each([
    ["plain", "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["'; DROP TABLE x; --", "'\\'; DROP TABLE x; --'"],
    ['line\nbreak\ttab\u0000nul', "'line\\x0abreak\\x09tab\\x00nul'"],
    ['ünïcødé', "'ünïcødé'"],
  ])('escapes the string %j as a literal ClickHouse reads back unchanged', (input, expected) => {
    expect(stringLiteral(input)).toBe(expected);
  });

  it.each(['samples_raw', '_x1', 'A'])('accepts the identifier %s', (name) => {
    expect(identifier(name)).toBe(name);
  });

  it.each(['', '1abc', 'a-b', 'a b', 'a;drop', 'a.b', '`x`', 'x'.repeat(129)])('refuses the identifier %j', (name) => {
    expect(() => identifier(name)).toThrow(UnsafeSqlValueError);
  });

  it('validates both halves of a qualified name', () => {
    expect(qualified('db', 't')).toBe('db.t');
    expect(() => qualified('db', 't;x')).toThrow(UnsafeSqlValueError);
  });

  it('refuses numbers that are not finite', () => {
    expect(numberLiteral(1.5)).toBe('1.5');
    expect(() => numberLiteral(NaN)).toThrow(UnsafeSqlValueError);
    expect(() => numberLiteral(Infinity)).toThrow(UnsafeSqlValueError);
  });
});
