import type { ConnectionStatus } from '@doflamingo/client';

/** The connection state in words, with a shape, for the status pill. */
export function connectionText(status: ConnectionStatus): string {
  if (status.state === 'open') return '● live';
  if (status.state === 'reconnecting') return `▲ reconnecting${status.retryInMs !== undefined ? ` in ${Math.ceil(status.retryInMs / 1000)} s` : '…'}`;
  if (status.state === 'connecting') return '○ connecting…';
  return `■ disconnected${status.lastError ? `: ${status.lastError.message}` : ''}`;
}
