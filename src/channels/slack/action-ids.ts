/**
 * Action ids on the buttons orderops posts. Listeners match on these constants, never on
 * literals, so a renamed button cannot silently stop working.
 */
export const ACTION_IDS = {
  approve: 'orderops_approval_approve',
  reject: 'orderops_approval_reject',
  /** Alert buttons carry the index of the suggested action after this prefix (ids must be unique within a message). */
  alertActionPrefix: 'orderops_alert_action_',
} as const;

/** Matches every alert button's action id. */
export const ALERT_ACTION_PATTERN = /^orderops_alert_action_\d+$/;

/** The slash command declared in slack/manifest.yaml. */
export const SLASH_COMMAND = '/orderops';
