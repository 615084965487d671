import { describe, expect, it } from 'vitest';
import { MissingDatasetError, sharedDatasetAvailable } from './shared-dataset.js';

describe('shared dataset rule', () => {
  it('lets a present dataset run, whatever the environment', () => {
    expect(sharedDatasetAvailable('tau-retail', true, { CI: 'true' })).toBe(true);
    expect(sharedDatasetAvailable('tau-retail', true, {})).toBe(true);
  });

  it('skips a missing dataset on a developer machine', () => {
    expect(sharedDatasetAvailable('tau-retail', false, {})).toBe(false);
    expect(sharedDatasetAvailable('tau-retail', false, { CI: 'false' })).toBe(false);
    expect(sharedDatasetAvailable('tau-retail', false, { CI: '' })).toBe(false);
  });

  it('fails on a missing dataset under CI=true, naming it', () => {
    for (const CI of ['true', 'TRUE', '1']) {
      expect(() => sharedDatasetAvailable('the tau-retail dataset under /nowhere', false, { CI })).toThrow(MissingDatasetError);
    }
    expect(() => sharedDatasetAvailable('the tau-retail dataset under /nowhere', false, { CI: 'true' })).toThrow(
      /the tau-retail dataset under \/nowhere not found; with CI=true a missing dataset fails/,
    );
  });
});
