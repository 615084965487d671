import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { renderPrompt } from '../../../../agent/prompt-library.js';
import { homeNoticeView } from '../../blocks/home-view.js';
import { publishAppHome } from '../../publish-app-home.js';
import { slackAccessRefusalText } from '../../slack-access-refusal-text.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';

/** Opening the Home tab shows the ops team the open approvals, held orders and alerts; anyone else a notice. */
export function appHomeOpened(deps: SlackListenerDeps) {
  return async ({ event, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    const refusal = await deps.access.refusal({ user: event.user, where: { kind: 'home' } });
    if (refusal) {
      const text = refusal === 'not_ops' ? renderPrompt('slack-home-not-ops') : slackAccessRefusalText(refusal);
      await client.views.publish({ user_id: event.user, view: homeNoticeView(text) as never });
      return;
    }
    await publishAppHome({ db: deps.db, client, approvals: deps.approvals }, event.user);
  };
}
