import { describe, expect, it } from 'vitest';
import { estimateTokens, fitHistoryToBudget } from './history-budget.js';
import type { ChatMessage } from './providers/model-provider.js';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });
const call = (id: string, name = 'get_order_details'): ChatMessage => ({ role: 'assistant', content: [{ type: 'tool_use', id, name, input: {} }] });
const result = (id: string, content: string): ChatMessage => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content }] });

/** Three finished turns (the second with a tool call), then the turn in progress. */
function conversation(): ChatMessage[] {
  return [
    user(`one ${'a'.repeat(600)}`),
    assistant('answer one'),
    user(`two ${'b'.repeat(600)}`),
    call('t1'),
    result('t1', 'c'.repeat(900)),
    assistant('answer two'),
    user('three'),
    assistant('answer three'),
    user('now'),
  ];
}

describe('fitHistoryToBudget', () => {
  it('estimates tokens as a third of the JSON bytes', () => {
    expect(estimateTokens([user('x'.repeat(300))])).toBe(Math.ceil(Buffer.byteLength(JSON.stringify([user('x'.repeat(300))])) / 3));
  });

  it('sends everything when it fits', () => {
    const messages = conversation();
    expect(fitHistoryToBudget(messages, 8, 10_000)).toEqual({ messages, omittedTurns: 0, omittedToolCalls: new Map() });
  });

  it('leaves out the oldest whole turns until the rest fits, tool calls with their results', () => {
    const messages = conversation();
    const fitted = fitHistoryToBudget(messages, 8, 200);
    expect(fitted.messages).toEqual(messages.slice(6));
    expect(fitted.omittedTurns).toBe(2);
    expect(fitted.omittedToolCalls).toEqual(new Map([['get_order_details', 1]]));
    expect(estimateTokens(fitted.messages)).toBeLessThanOrEqual(200);
    const justOne = fitHistoryToBudget(messages, 8, estimateTokens(messages.slice(2)));
    expect(justOne.messages).toEqual(messages.slice(2));
    expect(justOne.omittedTurns).toBe(1);
  });

  it('keeps the turn in progress whole, tool results included, even over the budget', () => {
    const messages = [...conversation(), call('t2'), result('t2', 'd'.repeat(3000))];
    const fitted = fitHistoryToBudget(messages, 8, 100);
    expect(fitted.messages).toEqual(messages.slice(8));
    expect(fitted.messages[0]!.role).toBe('user');
  });

  it('drops a leading fragment that is not a turn (stored history that starts mid-turn), whatever the budget', () => {
    const messages = [result('t0', 'x'.repeat(300)), assistant('tail'), user('q'), assistant('a'), user('now')];
    expect(fitHistoryToBudget(messages, 4, 10_000).messages).toEqual(messages.slice(2));
  });
});
