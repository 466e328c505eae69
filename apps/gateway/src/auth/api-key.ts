import { timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { GatewaySettings } from '@doflamingo/config';

/**
 * The API key of a request: `Authorization: Bearer <key>`, `X-API-Key: <key>`, or, because
 * browsers cannot set headers on a WebSocket, an `access_token` query parameter.
 */
export function presentedKey(headers: IncomingHttpHeaders, url: string | undefined): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const query = url?.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('access_token') : null;
  return query ?? undefined;
}

export type AuthVerdict = { ok: true } | { ok: false; reason: 'missing' | 'wrong' };

export function checkKey(settings: GatewaySettings, key: string | undefined): AuthVerdict {
  if (settings.auth === 'none') return { ok: true };
  if (!key) return { ok: false, reason: 'missing' };
  const given = Buffer.from(key);
  const known = settings.apiKeys.some((candidate) => {
    const expected = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return known ? { ok: true } : { ok: false, reason: 'wrong' };
}

/** Browsers send Origin; other clients usually do not, and are judged by their key alone. */
export function originAllowed(settings: GatewaySettings, origin: string | undefined): boolean {
  return origin === undefined || settings.allowedOrigins.includes('*') || settings.allowedOrigins.includes(origin);
}
