import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_IDS, ALERT_ACTION_PATTERN } from '../../action-ids.js';
import type { SlackListenerDeps } from '../../slack-listener-deps.js';
import { alertAction } from './alert-action.js';
import { approvalDecision } from './approval-decision.js';

export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockButtonAction>(ACTION_IDS.approve, approvalDecision(deps, 'approve'));
  app.action<BlockButtonAction>(ACTION_IDS.reject, approvalDecision(deps, 'reject'));
  app.action<BlockButtonAction>(ALERT_ACTION_PATTERN, alertAction(deps));
}
