import type { Alert } from './state-types';

/** One stretch of an alert's life: from pending (or the window start) to resolved (or now). */
export interface AlertEpisode {
  id: string;
  rule: string;
  severity: Alert['severity'];
  labels: Record<string, string>;
  message: string;
  start: number;
  /** When it started firing; undefined while (or if it only ever was) pending. */
  firedAt?: number;
  /** undefined: still open. */
  end?: number;
}

/**
 * Alert events (any order) as episodes per alert, oldest first, for the alerts timeline. An episode
 * starts at its `startsAt`, fires at `firedAt` and ends at its resolution; a pending episode that
 * cleared without firing is dropped (nothing happened that anyone was told about).
 */
export function alertEpisodes(events: Alert[]): AlertEpisode[] {
  const episodes = new Map<string, AlertEpisode>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const key = `${event.id}@${event.startsAt}`;
    const episode = episodes.get(key) ?? { id: event.id, rule: event.rule, severity: event.severity, labels: event.labels, message: event.message, start: event.startsAt };
    if (event.state === 'firing') {
      episode.firedAt = event.firedAt ?? event.at;
      episode.message = event.message;
    }
    if (event.state === 'resolved') episode.end = event.at;
    if (event.firedAt != null) episode.firedAt ??= event.firedAt;
    episodes.set(key, episode);
  }
  return [...episodes.values()].filter((e) => e.firedAt !== undefined || e.end === undefined).sort((a, b) => a.start - b.start);
}

/** Where an episode sits in [from, to], as percentages of the width. */
export function episodeBar(episode: AlertEpisode, from: number, to: number): { left: number; width: number } {
  const clamp = (t: number) => Math.min(to, Math.max(from, t));
  const start = clamp(episode.firedAt ?? episode.start);
  const end = clamp(episode.end ?? to);
  const span = to - from;
  return { left: ((start - from) / span) * 100, width: Math.max(0.4, ((end - start) / span) * 100) };
}
