/** A configuration value is missing or malformed. Its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly received: string | undefined,
  ) {
    super(
      received === undefined
        ? `${variable} is required: expected ${expected}`
        : `${variable} is invalid: expected ${expected}, got ${JSON.stringify(received)}`,
    );
    this.name = 'ConfigError';
  }
}
