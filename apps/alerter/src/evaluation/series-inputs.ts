/** One reported value of a series. */
export interface Point {
  ts: number;
  value: number;
}

/**
 * How much a counter grew over the points: the sum of its rises, where a drop means the counter
 * restarted from zero (the process restarted), so the new value itself is the rise since then.
 */
export function increase(points: readonly Point[]): number | undefined {
  if (points.length < 2) return undefined;
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const delta = points[i].value - points[i - 1].value;
    total += delta >= 0 ? delta : points[i].value;
  }
  return total;
}

/**
 * Where a least-squares line through the points will be at `at` (like PromQL predict_linear).
 * Needs at least `minSpanMs` of data so two close points do not predict a wild slope.
 */
export function predictLinear(points: readonly Point[], at: number, minSpanMs: number): number | undefined {
  if (points.length < 3 || points[points.length - 1].ts - points[0].ts < minSpanMs) return undefined;
  const t0 = points[0].ts;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.ts - t0;
    sumV += p.value;
  }
  const meanT = sumT / points.length;
  const meanV = sumV / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    const dt = p.ts - t0 - meanT;
    covariance += dt * (p.value - meanV);
    variance += dt * dt;
  }
  if (variance === 0) return undefined;
  const slope = covariance / variance;
  return meanV + slope * (at - t0 - meanT);
}
