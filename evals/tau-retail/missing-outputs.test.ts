import { describe, expect, it } from 'vitest';
import { missingOutputs } from './missing-outputs.js';

describe('missingOutputs (v1 outputs rule)', () => {
  it('matches ignoring case and the commas of the agent message', () => {
    expect(missingOutputs(['1939.05', 'Polyester'], ['The refund is $1,939.05.', 'It is made of polyester.'])).toEqual([]);
  });

  it('reports an output that no single message contains', () => {
    expect(missingOutputs(['625.60', 'cotton'], ['That comes to $625.6 in total.', 'cotton and linen'])).toEqual(['625.60']);
  });

  it('passes trivially when the task expects no outputs', () => {
    expect(missingOutputs([], [])).toEqual([]);
  });
});
