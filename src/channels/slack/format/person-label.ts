import { escapeMrkdwn } from './escape-mrkdwn.js';

/** Who someone is, as Slack should show them: a mention for Slack user ids, the name otherwise. */
export function personLabel(id: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}
