import { withTimeout } from '@doflamingo/runtime';

/**
 * Runs an AdminServer command (GET <base>/commands/<name>) and returns its JSON. The AdminServer
 * answers with a JSON body even on errors ({"error": "…"} with HTTP 503 when not serving), so the
 * body is returned whatever the status, as long as it is JSON.
 */
export async function adminCommand(baseUrl: string, command: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const abort = new AbortController();
  const url = `${baseUrl}/commands/${command}`;
  try {
    return await withTimeout(
      (async () => {
        const response = await fetch(url, { signal: abort.signal, headers: { accept: 'application/json' } });
        const body = (await response.json().catch(() => undefined)) as unknown;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`${url} answered HTTP ${response.status} without a JSON object`);
        return body as Record<string, unknown>;
      })(),
      timeoutMs,
      `ZooKeeper AdminServer ${url}`,
    );
  } finally {
    abort.abort();
  }
}
