import type { App } from '@slack/bolt';
import { SLASH_COMMAND } from '../../action-ids.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';
import { orderopsCommand } from './orderops.js';

export function register(app: App, deps: SlackListenerDeps): void {
  app.command(SLASH_COMMAND, orderopsCommand(deps));
}
