import type { GatewaySettings } from './settings';

export interface SeriesHistory {
  cluster: string;
  metric: string;
  labels: Record<string, string>;
  /** [bucket start ms, avg, min, max] */
  points: [number, number, number, number][];
}

export interface SeriesResponse {
  table: string;
  step: number;
  from: number;
  to: number;
  series: SeriesHistory[];
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The gateway's REST API (/api/v1): state now from the live store, history from ClickHouse. */
export class RestApi {
  constructor(private readonly settings: GatewaySettings) {}

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = new URL(`${this.settings.baseUrl.replace(/\/+$/, '')}/api/v1/${path}`, globalThis.location?.href);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.settings.token) headers.Authorization = `Bearer ${this.settings.token}`;
    const response = await fetch(url, { headers });
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        const body = (await response.json()) as { message?: string };
        if (body.message) message = `${response.status}: ${body.message}`;
      } catch {
        // not JSON
      }
      throw new RestError(response.status, message);
    }
    return (await response.json()) as T;
  }

  series(query: { metric: string; cluster?: string; labels?: string; from: number; to: number; step?: string }): Promise<SeriesResponse> {
    return this.get<SeriesResponse>('series', query);
  }
}
