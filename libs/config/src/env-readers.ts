import { ConfigError } from './config-error';

/**
 * Small typed readers for environment variables. Each one names the variable and what it expected
 * when the value is wrong, so a bad deployment fails at start-up with a message an operator can act on.
 */
export type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readString(env: Env, name: string, fallback?: string): string {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(name, 'a non-empty string', undefined);
  return value;
}

export function readSecret(env: Env, name: string): string | undefined {
  // Secrets keep surrounding spaces (they may be significant) and are never echoed back in errors.
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`, value);
  }
  return parsed;
}

/** A decimal number (`6`, `0.01`, `1e-6`) within [min, max]. */
export function readNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value) || !Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `a number from ${min} to ${max}`, value);
  }
  return parsed;
}

export function readPort(env: Env, name: string, fallback: number): number {
  return readInt(env, name, fallback, 1, 65535);
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(name, 'true or false', value);
}

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):(\d{1,5})$/;

/** "host:port,host:port" — Kafka bootstrap servers, a ZooKeeper connect string without chroot. */
export function readHostPortList(env: Env, name: string, fallback: string): string[] {
  const value = raw(env, name) ?? fallback;
  const items = value.split(',').map((item) => item.trim());
  const valid = items.length > 0 && items.every((item) => {
    const match = HOST_PORT.exec(item);
    return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
  });
  if (!valid) throw new ConfigError(name, 'a comma-separated list of host:port', value);
  return items;
}

export function readUrl(env: Env, name: string, fallback: string): string {
  return readUrlList(env, name, fallback)[0];
}

/** Comma-separated http(s) URLs, trailing slashes removed. */
export function readUrlList(env: Env, name: string, fallback: string): string[] {
  const value = raw(env, name) ?? fallback;
  const items = value.split(',').map((item) => item.trim());
  const urls = items.map((item) => {
    try {
      const url = new URL(item);
      return url.protocol === 'http:' || url.protocol === 'https:' ? item.replace(/\/+$/, '') : undefined;
    } catch {
      return undefined;
    }
  });
  if (urls.some((url) => url === undefined)) {
    throw new ConfigError(name, items.length > 1 ? 'a comma-separated list of http(s) URLs' : 'an http(s) URL', value);
  }
  return urls as string[];
}

/** Names used inside topic names, database names and metric labels. */
export function readIdentifier(env: Env, name: string, fallback: string, pattern = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/): string {
  const value = raw(env, name) ?? fallback;
  if (!pattern.test(value)) {
    throw new ConfigError(name, `a name matching ${pattern.source}`, value);
  }
  return value;
}
