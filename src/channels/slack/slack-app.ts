import { App, LogLevel, type Logger, type Receiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import { register as registerActions } from './listeners/actions/index.js';
import { register as registerCommands } from './listeners/commands/index.js';
import { register as registerEvents } from './listeners/events/index.js';
import type { SlackListenerDeps } from './slack-listener-deps.js';

export interface SlackAppOptions {
  botToken: string;
  /** Who the bot is, as auth.test said: given here, Bolt asks Slack nothing while it is built. */
  botUserId: string;
  botId: string;
  /** Slack's Web API by default; tests and benchmarks point it at a local server. */
  slackApiUrl?: string;
  receiver: Receiver;
  deps: SlackListenerDeps;
  logLevel?: LogLevel;
  /** Where Bolt writes its own lines (slack-sdk-logger); without it, Bolt's console logger. */
  logger?: Logger;
  /** Retries of the clients Bolt hands to listeners. */
  clientRetry?: RetryOptions;
}

/** Builds the Bolt app and registers the listeners; nothing else happens here, and no request goes to Slack. */
export function buildSlackApp(options: SlackAppOptions): App {
  const app = new App({
    token: options.botToken,
    botUserId: options.botUserId,
    botId: options.botId,
    tokenVerificationEnabled: false,
    receiver: options.receiver,
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      ...(options.clientRetry ? { retryConfig: options.clientRetry } : {}),
    },
    logLevel: options.logLevel ?? LogLevel.WARN,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  registerEvents(app, options.deps);
  registerActions(app, options.deps);
  registerCommands(app, options.deps);
  app.error(async (error) => {
    options.deps.log(`Slack listener error: ${error.stack ?? error.message}`);
  });
  return app;
}
