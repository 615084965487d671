/** Work the Slack channel hands to the job queue after `ack()`; one queue (`QUEUES.slackTurn`), three kinds. */
export type SlackJob =
  | {
      kind: 'turn';
      channel: string;
      threadTs: string;
      ts: string;
      user: string;
      text: string;
    }
  | {
      kind: 'decision';
      approvalId: string;
      decision: 'approve' | 'reject';
      user: string;
      /** Where the button was pressed, for an ephemeral answer. */
      channel: string;
    }
  | {
      kind: 'alert-action';
      alertId: string;
      index: number;
      user: string;
      channel: string;
    };
