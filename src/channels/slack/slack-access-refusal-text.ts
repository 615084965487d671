import { renderPrompt } from '../../agent/prompt-library.js';
import type { SlackAccessRefusal } from './slack-ops-access.js';

const PROMPTS: Record<SlackAccessRefusal, string> = {
  not_ops: 'slack-refusal-not-ops',
  channel: 'slack-refusal-channel',
  unchecked: 'slack-refusal-unchecked',
};

/** What the person is told when the ops agent will not answer them (or not there). */
export function slackAccessRefusalText(reason: SlackAccessRefusal): string {
  return renderPrompt(PROMPTS[reason]);
}
