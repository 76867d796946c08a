import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../helpers/prometheus-text.js';

const GOOD = `# HELP a_total Things.
# TYPE a_total counter
a_total{k="v",q="say \\"hi\\"\\n"} 3
# TYPE h histogram
h_bucket{le="+Inf"} 2
h_sum 0.5
h_count 2
# TYPE g gauge
g Nan
`;

/** The strict reader the metrics tests rely on: it must refuse what Prometheus would refuse. */
describe('parseExposition', () => {
  it('reads samples, escaped labels, histogram suffixes and Go-style NaN', () => {
    const exposition = parseExposition(GOOD);
    expect(sampleValue(exposition, 'a_total', { k: 'v', q: 'say "hi"\n' })).toBe(3);
    expect(sampleValue(exposition, 'h_bucket', { le: '+Inf' })).toBe(2);
    expect(sampleValue(exposition, 'g')).toBeNaN();
    expect(exposition.types.get('h')).toBe('histogram');
  });

  it.each([
    ['a sample before its TYPE', 'x 1'],
    ['a sample of another family', '# TYPE a counter\nb 1'],
    ['a second TYPE', '# TYPE a counter\n# TYPE a counter'],
    ['an unknown type', '# TYPE a meter'],
    ['an unquoted label', '# TYPE a counter\na{k=v} 1'],
    ['a bad escape', '# TYPE a counter\na{k="\\t"} 1'],
    ['a bad value', '# TYPE a counter\na 1,5'],
    ['a stray comment', '# hello'],
    ['a histogram sample without suffix', '# TYPE h histogram\nh 1'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseExposition(text)).toThrow();
  });

  it('sampleValue throws unless exactly one sample matches', () => {
    const exposition = parseExposition(GOOD);
    expect(() => sampleValue(exposition, 'a_total')).toThrow('0 samples');
  });
});
