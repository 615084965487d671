import type { Db } from '../db/db.js';
import type { InboxReader } from '../tools/tool.js';
import { listInbox } from './inbox.js';

/** The inbox as the agent's tools read it (ToolContext.inbox): the same query the dashboard and the API use. */
export function inboxReader(db: Db): InboxReader {
  return (request) => listInbox(db, request.kinds ? { kinds: request.kinds } : {}, { limit: request.limit, cursor: request.cursor });
}
