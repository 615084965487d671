import type { App } from '@slack/bolt';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';
import { directOrThreadMessage } from './direct-or-thread-message.js';

export function register(app: App, deps: SlackListenerDeps): void {
  app.event('app_mention', appMention(deps));
  app.message(directOrThreadMessage(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
