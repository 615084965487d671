import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { createAgentService, type AgentService } from '../../src/agent/agent-service.js';
import type { ModelProvider } from '../../src/agent/providers/model-provider.js';
import { createSlackChannel, type SlackChannel } from '../../src/channels/slack/slack-channel.js';
import { slackApprovalsAdapter } from '../../src/channels/slack/slack-approvals-adapter.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import { createInProcessQueue } from '../../src/jobs/in-process-queue.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { buildServer } from '../../src/server/build-server.js';
import { LocalSlackServer } from './local-slack-server.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SlackHarness {
  local: LocalSlackServer;
  config: Config;
  queue: JobQueue;
  slack: SlackChannel;
  agent: AgentService;
  server: FastifyInstance;
  /** Base URL of the API server, e.g. http://127.0.0.1:51234 */
  baseUrl: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * The whole Slack front door as production wires it: local Slack on 127.0.0.1, the Slack
 * channel with the HTTP receiver on the API server, the real agent service with the given
 * model provider, and the in-process job queue.
 */
export async function startSlackHarness(input: {
  db: Db;
  /** The model; without it the agent uses the one the config names (ANTHROPIC_BASE_URL, say). */
  provider?: ModelProvider;
  env?: Record<string, string>;
  local?: LocalSlackServer;
}): Promise<SlackHarness> {
  const local = input.local ?? new LocalSlackServer();
  await local.start();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: local.apiUrl,
    SLACK_ALERTS_CHANNEL: 'CALERTS01',
    ...input.env,
  });
  const logs: string[] = [];
  const queue = createInProcessQueue({ onFailed: (f) => logs.push(`job failed: Error: ${f.error}`) });
  const slack = createSlackChannel({ config, db: input.db, queue, log: (m) => logs.push(m) });
  if (!slack) throw new Error(`Slack did not start: ${logs.join('; ')}`);
  const agent = createAgentService({ db: input.db, config, ...(input.provider ? { provider: input.provider } : {}), notifier: slack.notifier });
  slack.attach({ agent, approvals: slackApprovalsAdapter(agent.approvals, { db: input.db, config }) });
  await queue.start();
  const server = buildServer({ db: input.db, config, queue, routes: [slack.routes] });
  await server.listen({ port: 0, host: '127.0.0.1' });
  slack.start();
  await slack.whenReady();
  const port = (server.server.address() as AddressInfo).port;
  return {
    local,
    config,
    queue,
    slack,
    agent,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      await slack.stop();
      await server.close();
      await queue.close();
      await local.stop();
    },
  };
}
