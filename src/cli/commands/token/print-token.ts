import { describeExpiry, describeRelative } from '../../relative-time.js';
import { formatJson, type Palette } from '../../output.js';

/** A label saying what was checked, header and payload pretty-printed, then the time claims in words. */
export function formatToken(args: {
  header: Readonly<Record<string, unknown>>;
  payload: Readonly<Record<string, unknown>>;
  verified: boolean;
  label: string;
  palette: Palette;
  now: Date;
}): string {
  const { palette: p, payload, now } = args;
  const label = args.verified ? p.bold(p.green(args.label)) : p.bold(p.yellow(args.label));
  const lines = [
    label,
    '',
    p.bold('Header'),
    formatJson(args.header, p),
    '',
    p.bold('Payload'),
    formatJson(payload, p),
  ];
  const times = timeLines(payload, now);
  if (times.length > 0) lines.push('', ...times.map((line) => p.dim(line)));
  return lines.join('\n');
}

function timeLines(payload: Readonly<Record<string, unknown>>, now: Date): string[] {
  const lines: string[] = [];
  // Only numbers that make a real date: an unverified token may carry anything in exp, iat and nbf.
  const at = (claim: string) => {
    const value = payload[claim];
    const date = typeof value === 'number' ? new Date(value * 1000) : undefined;
    return date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined;
  };
  const exp = at('exp');
  const iat = at('iat');
  const nbf = at('nbf');
  if (exp !== undefined) lines.push(`exp  ${exp.toISOString()}  ${describeExpiry(exp, now)}`);
  else if (payload.exp === undefined) lines.push('exp  (none: Tessera refuses tokens without exp)');
  else lines.push('exp  (not a NumericDate)');
  if (iat !== undefined) lines.push(`iat  ${iat.toISOString()}  issued ${describeRelative(iat, now)}`);
  if (nbf !== undefined) {
    const when = describeRelative(nbf, now);
    lines.push(`nbf  ${nbf.toISOString()}  ${nbf > now ? `becomes valid ${when}` : `valid from ${when}`}`);
  }
  return lines;
}
