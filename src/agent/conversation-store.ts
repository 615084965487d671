import type { Db } from '../db/db.js';
import type { Actor } from '../domain/actor.js';
import { DomainError } from '../domain/domain-error.js';
import type { ChatMessage } from './providers/model-provider.js';

export interface Conversation {
  id: number;
  channel: string;
  threadKey: string;
  persona: 'ops' | 'customer';
  customerId: string | null;
  requester: Actor;
  handedOffAt: Date | null;
}

interface ConversationRow {
  id: number;
  channel: string;
  thread_key: string;
  persona: 'ops' | 'customer';
  customer_id: string | null;
  requester: Actor;
  handed_off_at: Date | null;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  channel: r.channel,
  threadKey: r.thread_key,
  persona: r.persona,
  customerId: r.customer_id,
  requester: r.requester,
  handedOffAt: r.handed_off_at,
});

/**
 * The conversation of one (channel, thread), created on first use. A thread keeps the persona
 * and customer it started with: a later message cannot move it to another customer.
 */
export async function openConversation(
  db: Db,
  input: { channel: string; threadKey: string; persona: 'ops' | 'customer'; customerId?: string; requester: Actor },
): Promise<Conversation> {
  await db.query(
    `INSERT INTO agent_conversations (channel, thread_key, persona, customer_id, requester)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, thread_key) DO NOTHING`,
    [input.channel, input.threadKey, input.persona, input.customerId ?? null, JSON.stringify(input.requester)],
  );
  const conversation = await getConversationByThread(db, input.channel, input.threadKey);
  if (!conversation) throw new Error(`conversation ${input.channel}:${input.threadKey} vanished`);
  if (conversation.persona !== input.persona || (conversation.customerId ?? undefined) !== input.customerId) {
    throw new DomainError(
      'forbidden',
      'thread_bound',
      `thread ${input.threadKey} belongs to another ${conversation.persona === 'customer' ? 'customer' : 'persona'}`,
    );
  }
  return conversation;
}

export async function getConversationByThread(db: Db, channel: string, threadKey: string): Promise<Conversation | null> {
  const { rows } = await db.query<ConversationRow>(
    'SELECT * FROM agent_conversations WHERE channel = $1 AND thread_key = $2',
    [channel, threadKey],
  );
  return rows[0] ? toConversation(rows[0]) : null;
}

export async function getConversation(db: Db, id: number): Promise<Conversation | null> {
  const { rows } = await db.query<ConversationRow>('SELECT * FROM agent_conversations WHERE id = $1', [id]);
  return rows[0] ? toConversation(rows[0]) : null;
}

/** Every stored message of the conversation, in order. */
export async function loadMessages(db: Db, conversationId: number): Promise<ChatMessage[]> {
  const { rows } = await db.query<{ role: 'user' | 'assistant'; content: ChatMessage['content'] }>(
    'SELECT role, content FROM agent_messages WHERE conversation_id = $1 ORDER BY id',
    [conversationId],
  );
  return rows.map((r) => ({ role: r.role, content: r.content }));
}

export async function appendMessages(db: Db, conversationId: number, messages: ChatMessage[]): Promise<void> {
  for (const m of messages) {
    await db.query('INSERT INTO agent_messages (conversation_id, role, content) VALUES ($1, $2, $3)', [
      conversationId,
      m.role,
      JSON.stringify(m.content),
    ]);
  }
  await db.query('UPDATE agent_conversations SET updated_at = now() WHERE id = $1', [conversationId]);
}

/** Marks the thread as handed to a person; the summary is what that person reads first. */
export async function markHandedOff(db: Db, conversationId: number, summary: string): Promise<void> {
  await db.query(
    'UPDATE agent_conversations SET handed_off_at = now(), handoff_summary = $2, updated_at = now() WHERE id = $1',
    [conversationId, summary],
  );
}

export interface TurnRecord {
  conversationId: number;
  provider: string;
  model: string;
  iterations: number;
  stopReason: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  toolCalls: { name: string; isError: boolean; approvalId?: string }[];
}

export async function recordTurn(db: Db, t: TurnRecord): Promise<void> {
  await db.query(
    `INSERT INTO agent_turns (conversation_id, provider, model, iterations, stop_reason, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, cost_usd, tool_calls)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      t.conversationId,
      t.provider,
      t.model,
      t.iterations,
      t.stopReason,
      t.inputTokens,
      t.outputTokens,
      t.cacheReadTokens,
      t.cacheWriteTokens,
      t.costUsd.toFixed(6),
      JSON.stringify(t.toolCalls),
    ],
  );
}
