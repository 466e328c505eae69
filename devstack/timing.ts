/** Waiting helpers. */
export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
