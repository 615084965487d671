export type Block = Record<string, unknown>;

/** A message as chat.postMessage / chat.update take it: blocks plus the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}
