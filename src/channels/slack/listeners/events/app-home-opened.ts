import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishAppHome } from '../../publish-app-home.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** Opening the Home tab shows the current open approvals, held orders and alerts. */
export function appHomeOpened(deps: SlackListenerDeps) {
  return async ({ event, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    await publishAppHome({ db: deps.db, client, approvals: deps.approvals }, event.user);
  };
}
