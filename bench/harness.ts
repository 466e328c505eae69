/** What a benchmark reports: numbers with units, optional targets, and notes saying how it ran. */
export interface Measurement {
  name: string;
  value: number;
  unit: string;
  /** e.g. "≤ 2 s"; `met` says whether the value meets it. */
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  measurements: Measurement[];
  notes: string[];
}

export interface Benchmark {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<BenchResult>;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
