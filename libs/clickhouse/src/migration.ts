/**
 * A versioned schema change. Statements must be idempotent on their own (IF NOT EXISTS…), because
 * two instances starting together may both apply the same version; the ledger then records it
 * twice, which is harmless. `{db}` in a statement is replaced by the validated database name.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}
