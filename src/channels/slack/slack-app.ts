import { App, LogLevel, type Receiver } from '@slack/bolt';
import { register as registerActions } from './listeners/actions/index.js';
import { register as registerCommands } from './listeners/commands/index.js';
import { register as registerEvents } from './listeners/events/index.js';
import type { SlackListenerDeps } from './slack-listener-deps.js';

export interface SlackAppOptions {
  botToken: string;
  /** Slack's Web API by default; tests and benchmarks point it at a local server. */
  slackApiUrl?: string;
  receiver: Receiver;
  deps: SlackListenerDeps;
  logLevel?: LogLevel;
}

/**
 * Builds the Bolt app and registers the listeners; nothing else happens here. Call `app.init()`
 * (it asks Slack who the bot is) before the first request is processed.
 */
export function buildSlackApp(options: SlackAppOptions): App {
  const app = new App({
    token: options.botToken,
    receiver: options.receiver,
    clientOptions: { ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}) },
    deferInitialization: true,
    logLevel: options.logLevel ?? LogLevel.WARN,
  });
  registerEvents(app, options.deps);
  registerActions(app, options.deps);
  registerCommands(app, options.deps);
  app.error(async (error) => {
    options.deps.log(`Slack listener error: ${error.stack ?? error.message}`);
  });
  return app;
}
