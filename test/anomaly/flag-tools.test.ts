import { expect, it } from 'vitest';
import { raiseFlag } from '../../src/anomaly/flags/raise-flag.js';
import { loadConfig } from '../../src/config/config.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';
import type { ToolContext } from '../../src/tools/tool.js';
import { describeEachDb } from '../support/test-db.js';

describeEachDb('flag tools', (ctx) => {
  const call = async (name: string, args: unknown) => {
    const tool = opsToolset().get(name)!;
    const toolCtx: ToolContext = { db: ctx.db, config: loadConfig({}), actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: 'U_OPS' }, persona: 'ops' };
    return tool.run(tool.input.parse(args), toolCtx);
  };

  it('lists, explains, acknowledges and resolves a flag', async () => {
    const { flag } = await raiseFlag(
      ctx.db,
      { subjectType: 'stock', subjectId: 'v9@wh9', rule: 'negative_stock', category: 'stock', severity: 'critical', score: 100, title: 'on hand -1', reasons: ['on-hand stock is -1, below zero'] },
      { kind: 'system', id: 'test' },
    );
    const listed = (await call('list_flags', { category: 'stock' })) as { id: number; reasons: string[] }[];
    expect(listed.find((f) => f.id === flag.id)?.reasons).toEqual(['on-hand stock is -1, below zero']);

    const explained = (await call('explain_flag', { flag_id: `#${flag.id}` })) as { rule: string; summary: string };
    expect(explained.rule).toContain('below zero');
    expect(explained.summary).toContain('stock v9@wh9');

    expect(await call('acknowledge_flag', { flag_id: flag.id, note: 'counting' })).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'agent:orderops-agent for U_OPS' });
    expect(await call('resolve_flag', { flag_id: String(flag.id), resolution: 'recount fixed it' })).toMatchObject({ status: 'resolved', resolution: 'recount fixed it' });
    expect(await call('list_flags', { subject_id: 'v9@wh9' })).toEqual([]);
  });

  it('rejects a flag id that is not a number', () => {
    const tool = opsToolset().get('explain_flag')!;
    expect(() => tool.input.parse({ flag_id: 'abc' })).toThrow(/not a flag id/);
  });
});
