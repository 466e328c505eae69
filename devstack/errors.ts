/**
 * An expected failure with a message that tells the user what to do next.
 * The CLI prints only the message for these; anything else is a bug and gets a stack trace.
 */
export class DevstackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevstackError';
  }
}

/** How to run a devstack command, for the "what to do next" part of messages. */
export function cli(args: string): string {
  return `npm run devstack -- ${args}`;
}
