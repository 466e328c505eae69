/** A JMX endpoint answered, but not with what was asked for. Retriable: the next collection tries again. */
export class JmxEndpointError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'JmxEndpointError';
  }
}
