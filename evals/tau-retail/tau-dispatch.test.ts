import { expect, it } from 'vitest';
import { describe } from 'vitest';
import { importTauRetail } from '../../src/connectors/tau-retail/import-tau-retail.js';
import { describeEachDb } from '../../test/support/test-db.js';
import { replayCase } from './replay-task.js';
import { dispatchTauTool } from './tau-dispatch.js';
import { loadPristine, loadV1Cases, loadV2Cases, TAU_V1_DIR, tauDatasetPresent } from './tau-dataset.js';
import { V2_DIVERGENCES } from './v2-divergences.js';

const present = tauDatasetPresent();
const actor = { kind: 'system', id: 'test' } as const;

describeEachDb('tau-retail replay dispatcher', (ctx) => {
  it('answers unknown tools as each reference version does', async () => {
    expect(await dispatchTauTool(ctx.db, 'teleport', {}, { version: 'v1', actor })).toEqual({ ok: false, error: 'Unknown action teleport' });
    expect(await dispatchTauTool(ctx.db, 'think', { thought: 'x' }, { version: 'v2', actor })).toEqual({ ok: false, error: "Tool 'think' not found." });
    expect(await dispatchTauTool(ctx.db, 'think', { thought: 'x' }, { version: 'v1', actor })).toEqual({ ok: true, output: '' });
    expect(await dispatchTauTool(ctx.db, 'get_order_details', {}, { version: 'v1', actor })).toMatchObject({ ok: false });
  });

  describe.skipIf(!present)('on the real data', () => {
    it('matches the reference on a handful of v1 tasks (reads, writes, refusals)', async () => {
      await importTauRetail(ctx.db, TAU_V1_DIR);
      const pristine = loadPristine();
      const cases = loadV1Cases();
      // Picked to cover every write tool and the refusal kinds present in the data.
      const wanted = new Set<string>();
      const chosen = cases.filter((c) => {
        const key = [...new Set(c.actions.map((a) => a.name))].join(',') + (c.steps.some((s) => s.is_error) ? '!' : '');
        if (wanted.has(key) || wanted.size >= 12) return false;
        wanted.add(key);
        return true;
      });
      expect(chosen.some((c) => c.steps.some((s) => s.is_error))).toBe(true);
      for (const c of chosen) {
        const outcome = await replayCase(ctx.db, c, pristine);
        expect(outcome.problems, c.label).toEqual([]);
      }
    }, 60_000);

    it('matches an unlisted v2 task and diverges on a listed one', async () => {
      const pristine = loadPristine();
      const v2 = loadV2Cases();
      const listed = new Set(V2_DIVERGENCES.map((d) => d.id));
      const plain = v2.find((c) => !listed.has(c.id) && c.actions.some((a) => a.name === 'modify_pending_order_items'))!;
      expect((await replayCase(ctx.db, plain, pristine)).problems).toEqual([]);
      const divergent = v2.find((c) => c.id === V2_DIVERGENCES[0]!.id)!;
      expect((await replayCase(ctx.db, divergent, pristine)).matched).toBe(false);
    }, 60_000);
  });
});
