import { expect, it } from 'vitest';
import { exceptionKind, isDelayScan } from './carrier-event-kind.js';

it('names the kind of an exception from the carrier status and words', () => {
  expect(exceptionKind('returned', 'Returned to sender: undeliverable as addressed')).toBe('returned_to_sender');
  expect(exceptionKind('exception', 'RETURN TO SENDER - refused')).toBe('returned_to_sender');
  expect(exceptionKind('exception', 'Address information incomplete; carrier attempting to contact recipient')).toBe('address');
  expect(exceptionKind('exception', 'Package damaged in transit')).toBe('damaged');
  expect(exceptionKind('exception', 'Held at customs')).toBe('other');
});

it('tells a delay scan from a problem', () => {
  expect(isDelayScan('Delayed in transit (48 h)')).toBe(true);
  expect(isDelayScan('Severe weather conditions have delayed delivery')).toBe(true);
  expect(isDelayScan('Arrived at the sort facility')).toBe(false);
  expect(isDelayScan('Damaged, delayed for inspection')).toBe(false);
});
