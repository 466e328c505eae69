/** Where the gateway is and which API key to use, for the page and for the Web Component. */
export interface GatewaySettings {
  /** Base URL of the gateway, e.g. `https://gateway.example:8080` ('' = same origin). */
  baseUrl: string;
  token?: string;
}

const TOKEN_KEY = 'doflamingo.accessToken';

/**
 * The API key: `?access_token=` on the page URL (then remembered in localStorage and removed from
 * the address bar), else the remembered one.
 */
export function readToken(location: Pick<Location, 'search'>, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): string | undefined {
  const fromUrl = new URLSearchParams(location.search).get('access_token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // storage refused (private mode): the URL still carries it
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** ws(s):// URL of the gateway's /ws endpoint for a base URL ('' = this page's origin). */
export function webSocketUrl(baseUrl: string, pageOrigin: string): string {
  const base = new URL(baseUrl || pageOrigin, pageOrigin);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/ws`;
  base.search = '';
  base.hash = '';
  return base.toString();
}
