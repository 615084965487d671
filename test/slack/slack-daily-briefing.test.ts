import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPeriodicTasks } from '../../src/jobs/periodic-tasks.js';
import { systemActor } from '../../src/domain/actor.js';
import { holdOrder } from '../../src/domain/orders/hold-order.js';
import { scheduleDailyBriefing } from '../../src/channels/slack/schedule-daily-briefing.js';
import { seedAgentFixture } from '../support/agent-fixture.js';
import { seedTestCatalog } from '../support/seed-test-catalog.js';
import { morningTimeZone } from '../support/morning-time-zone.js';
import { describeEachDb } from '../support/test-db.js';
import { testAppConfig } from '../support/test-app-config.js';
import { LocalSlackServer } from './local-slack-server.js';

const ALERTS = 'CALERTS01';
// A store day whose 08:00 falls at this instant: the briefing is due from it.
const EIGHT_AM = new Date('2026-12-03T05:00:00Z');
const ZONE = morningTimeZone(EIGHT_AM, 8);
const at = (minutesFromEight: number) => new Date(EIGHT_AM.getTime() + minutesFromEight * 60_000);
const SECTIONS = ['On hold (1):', 'In exception (0):', 'Past their SLA', 'Approvals waiting (0):', 'Open flags (0):', 'Failed jobs (0):', 'Low stock'];

describeEachDb('Slack daily briefing in the alerts channel', (ctx) => {
  const local = new LocalSlackServer();
  let client: WebClient;
  const posts = () => local.callsOf('chat.postMessage').filter((c) => c.args.channel === ALERTS);
  const blocksOf = (call: { args: Record<string, unknown> }) => {
    const blocks = call.args.blocks;
    return (typeof blocks === 'string' ? JSON.parse(blocks) : blocks) as { type: string; text?: { text: string } }[];
  };

  /** One worker process: its own periodic tasks on the shared database, its clock fixed at `now`. */
  async function runWorkers(now: Date, env: Record<string, string>, workers = 1): Promise<void> {
    const config = testAppConfig('briefing', { STORE_TIMEZONE: ZONE, ...env });
    const tasks = Array.from({ length: workers }, () => createPeriodicTasks(ctx.db, (line) => { throw new Error(line); }));
    for (const t of tasks) scheduleDailyBriefing({ db: ctx.db, config, every: t.every }, client, { clock: () => now, everyMs: 25 });
    // Enough periods for every worker to have claimed several and run the check in each.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await Promise.all(tasks.map((t) => t.stop()));
  }

  beforeAll(async () => {
    await local.start();
    client = new WebClient('xoxb-test', { slackApiUrl: local.apiUrl, retryConfig: { retries: 0 } });
    await seedAgentFixture(ctx.db);
    await seedTestCatalog(ctx.db, 'p-brief', [{ sku: 'BRIEF-MUG-01', price: '8.00', stock: { 'loc-east-wh': 1 } }]);
    await holdOrder(ctx.db, { orderId: '#W1000004', reason: 'address mismatch' }, systemActor('test'));
  });
  afterAll(() => local.stop());

  it('posts nothing before the briefing hour', async () => {
    await runWorkers(at(-1), { SLACK_ALERTS_CHANNEL: ALERTS });
    expect(posts()).toHaveLength(0);
  });

  it('at 08:00 store time posts one briefing with every section, however many workers check', async () => {
    await runWorkers(at(0), { SLACK_ALERTS_CHANNEL: ALERTS }, 2);
    expect(posts()).toHaveLength(1);
    const blocks = blocksOf(posts()[0]!);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Morning briefing for Thursday 3 December 2026' } });
    const text = blocks.map((b) => b.text?.text ?? '').join('\n');
    for (const heading of SECTIONS) expect(text).toContain(`*${heading}`);
    expect(text).toContain('#W1000004');
    expect(text).toContain('BRIEF-MUG-01');
  });

  it('a restart later the same day does not post again; the next day posts its own', async () => {
    await runWorkers(at(9 * 60), { SLACK_ALERTS_CHANNEL: ALERTS });
    expect(posts()).toHaveLength(1);
    await runWorkers(at(24 * 60), { SLACK_ALERTS_CHANNEL: ALERTS });
    expect(posts()).toHaveLength(2);
    expect(blocksOf(posts()[1]!)[0]).toMatchObject({ text: { text: 'Morning briefing for Friday 4 December 2026' } });
  });

  it('a later BRIEFING_HOUR holds the post until then', async () => {
    await runWorkers(at(2 * 24 * 60 + 60), { SLACK_ALERTS_CHANNEL: ALERTS, BRIEFING_HOUR: '10' });
    expect(posts()).toHaveLength(2);
    await runWorkers(at(2 * 24 * 60 + 120), { SLACK_ALERTS_CHANNEL: ALERTS, BRIEFING_HOUR: '10' });
    expect(posts()).toHaveLength(3);
  });

  it('without an alerts channel it posts nothing and reports no error', async () => {
    const before = local.calls.length;
    await runWorkers(at(3 * 24 * 60), {});
    expect(local.calls.length).toBe(before);
  });

  it('a post Slack refuses gives the day back, so a later check posts it', async () => {
    local.setOutage('reset');
    const failed: string[] = [];
    const config = testAppConfig('briefing', { STORE_TIMEZONE: ZONE, SLACK_ALERTS_CHANNEL: ALERTS });
    const tasks = createPeriodicTasks(ctx.db, (line) => failed.push(line));
    scheduleDailyBriefing({ db: ctx.db, config, every: tasks.every }, client, { clock: () => at(4 * 24 * 60), everyMs: 25 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await tasks.stop();
    local.setOutage('none');
    expect(failed.length).toBeGreaterThan(0);
    expect(posts()).toHaveLength(3);
    await runWorkers(at(4 * 24 * 60 + 5), { SLACK_ALERTS_CHANNEL: ALERTS });
    expect(posts()).toHaveLength(4);
  });
});
