import { alertEpisodes, episodeBar } from './alert-episodes';
import type { Alert } from './state-types';

const event = (id: string, state: Alert['state'], at: number, startsAt: number, firedAt: number | null = null): Alert =>
  ({ id, rule: id.split('/')[0], state, severity: 'critical', cluster: 'c', labels: {}, message: `${state} ${id}`, value: 1, startsAt, at, firedAt }) as Alert;

describe('alertEpisodes', () => {
  it('folds events into one episode per firing, open ones without an end, and drops pendings that cleared', () => {
    const episodes = alertEpisodes([
      event('a/c', 'resolved', 300, 100, 150),
      event('a/c', 'pending', 100, 100),
      event('a/c', 'firing', 150, 100, 150),
      event('a/c', 'pending', 500, 500), // a second episode of the same alert, still pending
      event('b/c', 'pending', 200, 200),
      event('b/c', 'resolved', 210, 200, null), // never fired
      event('d/c', 'firing', 400, 390, 400),
    ]);
    expect(episodes.map((e) => [e.id, e.start, e.firedAt, e.end])).toEqual([
      ['a/c', 100, 150, 300],
      ['d/c', 390, 400, undefined],
      ['a/c', 500, undefined, undefined],
    ]);
  });

  it('places a bar from firing to resolution within the window, clamped at its edges', () => {
    const [episode] = alertEpisodes([event('a/c', 'firing', 150, 100, 150), event('a/c', 'resolved', 300, 100, 150)]);
    expect(episodeBar(episode, 100, 500)).toEqual({ left: 12.5, width: 37.5 });
    expect(episodeBar(episode, 200, 400)).toEqual({ left: 0, width: 50 });
  });
});
