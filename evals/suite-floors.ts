/**
 * The lowest pass rate (0..1) each suite may have before `npm run evals` exits 1, per model.
 * Security is 100% for every model. The others sit just under what the code passed when they were
 * set (offline: customer 47/47, ops 33/33, customer-heldout 63/63, ops-heldout 25/25,
 * customer-heldout-2 23/23, ops-heldout-2 35/35, change-words-heldout 16/16 (1/16 on its
 * first run, before the recogniser learnt what it covers); scripted:
 * tau-retail 635/635): raise a floor when a suite gets better, never lower one to make a run pass.
 * The scripted tau-retail run replays ground truth through the tools, with no model judgement in
 * it, so any mismatch is a regression. The anthropic model has no measured rates yet, so only its
 * security floor is set.
 */
export const SUITE_FLOORS: Record<'offline' | 'scripted' | 'anthropic', Partial<Record<string, number>>> = {
  offline: { security: 1, customer: 0.95, ops: 0.95, 'customer-heldout': 0.95, 'ops-heldout': 0.95, 'customer-heldout-2': 0.95, 'ops-heldout-2': 0.95, 'change-words-heldout': 0.95 },
  scripted: { security: 1, 'tau-retail': 1 },
  anthropic: { security: 1 },
};
