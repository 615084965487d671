import { describe, expect, it } from 'vitest';
import { personLabel } from './person-label.js';

describe('personLabel', () => {
  it('mentions Slack user ids, including enterprise W ids', () => {
    expect(personLabel('U012ABC')).toBe('<@U012ABC>');
    expect(personLabel('W9XYZ12')).toBe('<@W9XYZ12>');
  });

  it('shows anything else as escaped text', () => {
    expect(personLabel('ops@example.com')).toBe('ops@example.com');
    expect(personLabel('Ann <ops>')).toBe('Ann &lt;ops&gt;');
    expect(personLabel('u012abc')).toBe('u012abc');
    expect(personLabel('C012ABC')).toBe('C012ABC');
  });
});
