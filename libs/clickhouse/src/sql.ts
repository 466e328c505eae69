/**
 * ClickHouse 18.16 has no server-side query parameters, so every value that reaches SQL goes
 * through one of these functions. Identifiers are validated (never escaped into something odd);
 * string literals are escaped the way ClickHouse's own lexer reads them.
 */
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

export class UnsafeSqlValueError extends Error {
  constructor(what: string, value: unknown) {
    super(`refusing to put ${what} ${JSON.stringify(value)} into SQL`);
    this.name = 'UnsafeSqlValueError';
  }
}

/** A database, table or column name: letters, digits and underscores only. Returned as is. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new UnsafeSqlValueError('identifier', name);
  return name;
}

/** `db.table` with both parts validated. */
export function qualified(database: string, table: string): string {
  return `${identifier(database)}.${identifier(table)}`;
}

/** A single-quoted string literal. Backslash and quote are escaped; control characters as \xHH. */
export function stringLiteral(value: string): string {
  if (typeof value !== 'string') throw new UnsafeSqlValueError('non-string', value);
  const escaped = value.replace(/[\\'\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === "'") return "\\'";
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `'${escaped}'`;
}

/** A finite number literal. */
export function numberLiteral(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UnsafeSqlValueError('number', value);
  return String(value);
}
