/**
 * A parser for the Prometheus text exposition format (0.0.4, and the sample lines of OpenMetrics),
 * giving flat samples: name, labels, value. Written here rather than taken from npm: the one
 * maintained-looking package (parse-prometheus-text-format) has a single maintainer and no types,
 * and returns prom2json's nested families with string values that would have to be flattened and
 * re-parsed; what the agent needs is this one small, tested function.
 */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  /** May be NaN or ±Infinity, as the format allows. */
  value: number;
}

export interface Exposition {
  samples: ExpositionSample[];
  /** Lines that are neither comments nor well-formed samples; the first one's problem in `firstError`. */
  invalidLines: number;
  firstError?: string;
}

class LineError extends Error {}

const NAME_START = /[a-zA-Z_:]/;
const NAME_PART = /[a-zA-Z0-9_:]/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

export function parseSampleValue(token: string): number {
  switch (token) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  if (!FLOAT.test(token)) throw new LineError(`'${token}' is not a number`);
  return Number(token);
}

/** Parses one sample line, e.g. `name{a="x",b="y\"z"} 1.5E9 1395066363000`. */
function parseSampleLine(line: string): ExpositionSample {
  let at = 0;
  const skipBlanks = () => {
    while (line[at] === ' ' || line[at] === '\t') at++;
  };
  const readName = (what: string) => {
    const start = at;
    if (!NAME_START.test(line[at] ?? '')) throw new LineError(`expected a ${what} at column ${at + 1}`);
    while (at < line.length && NAME_PART.test(line[at])) at++;
    return line.slice(start, at);
  };

  const name = readName('metric name');
  const labels: Record<string, string> = {};
  skipBlanks();
  if (line[at] === '{') {
    at++;
    for (;;) {
      skipBlanks();
      if (line[at] === '}') break;
      const label = readName('label name');
      skipBlanks();
      if (line[at] !== '=') throw new LineError(`expected '=' after label ${label}`);
      at++;
      skipBlanks();
      if (line[at] !== '"') throw new LineError(`expected '"' to open the value of label ${label}`);
      at++;
      let value = '';
      while (line[at] !== '"') {
        if (at >= line.length) throw new LineError(`unterminated value of label ${label}`);
        if (line[at] === '\\') {
          const escaped = ESCAPES[line[at + 1]];
          if (escaped === undefined) throw new LineError(`unknown escape '\\${line[at + 1] ?? ''}' in label ${label}`);
          value += escaped;
          at += 2;
        } else {
          value += line[at++];
        }
      }
      at++;
      labels[label] = value;
      skipBlanks();
      if (line[at] === ',') at++;
      else if (line[at] !== '}') throw new LineError(`expected ',' or '}' after label ${label}`);
    }
    at++;
  }
  // What follows: the value, then an optional timestamp, then (OpenMetrics) an optional exemplar.
  const rest = line.slice(at).split(' # ')[0].trim().split(/[ \t]+/);
  if (rest[0] === '') throw new LineError(`no value for ${name}`);
  if (rest.length > 2) throw new LineError(`unexpected text after the value of ${name}`);
  return { name, labels, value: parseSampleValue(rest[0]) };
}

export function parsePrometheusText(text: string): Exposition {
  const exposition: Exposition = { samples: [], invalidLines: 0 };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      exposition.samples.push(parseSampleLine(line));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      exposition.invalidLines++;
      exposition.firstError ??= `line ${i + 1}: ${error.message}`;
    }
  }
  return exposition;
}
