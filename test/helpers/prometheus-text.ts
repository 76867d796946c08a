/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/):
 * every line must be a HELP, a TYPE, or a sample of a metric whose TYPE came first; label values are
 * quoted with the three escapes the format allows; values are Go floats. Anything else throws, so a
 * test that reads the output also checks that Prometheus could.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
// Values as Prometheus reads them (Go's strconv.ParseFloat): Inf and NaN in any letter case, so
// prom-client's "Nan" is read as Prometheus reads it.
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?[iI][nN][fF]|[nN][aA][nN])';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES: Record<string, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    const helpMatch = HELP.exec(line);
    if (helpMatch) {
      help.set(helpMatch[1]!, helpMatch[2]!);
      continue;
    }
    const typeMatch = TYPE.exec(line);
    if (typeMatch) {
      if (types.has(typeMatch[1]!)) throw new Error(`${where}: second TYPE for the metric`);
      types.set(typeMatch[1]!, typeMatch[2]!);
      continue;
    }
    if (line.startsWith('#')) throw new Error(`${where}: not a HELP or TYPE comment`);
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`${where}: not a sample`);
    const name = match[1]!;
    const family = familyOf(name, types);
    if (family === undefined) throw new Error(`${where}: sample before its TYPE`);
    samples.push({ name, labels: parseLabels(match[2] ?? ''), value: parseValue(match.at(-1)!) });
  }
  return { types, help, samples };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  for (const [family, type] of types) {
    if (SUFFIXES[type]!.some((suffix) => name === family + suffix)) return family;
  }
  return undefined;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(new RegExp(LABEL, 'g'))) {
    if (match[1]! in labels) throw new Error(`label ${match[1]} twice`);
    labels[match[1]!] = match[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number {
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  return Number(text);
}

/** The value of the one sample with this name and exactly these labels; throws when there is not one. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number {
  const found = exposition.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1) {
    throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  }
  return found[0]!.value;
}
