import { z } from 'zod';

/** The *-heldout suites are phrasings written apart from the offline recogniser, to measure how it generalises. */
export const SUITES = ['customer', 'ops', 'security', 'customer-heldout', 'ops-heldout', 'customer-heldout-2', 'ops-heldout-2', 'change-words-heldout'] as const;
export type Suite = (typeof SUITES)[number];

const dbAssertion = z.object({
  sql: z.string(),
  /** Rows the query must return, compared as JSON. */
  rows: z.array(z.record(z.string(), z.unknown())),
});

const decideStep = z.object({
  /** requester: the person who asked (must be refused); approver: an allowed approver. */
  as: z.enum(['requester', 'approver', 'customer']),
  decision: z.enum(['approve', 'reject']),
  expect: z.enum(['refused', 'executed', 'failed', 'rejected']),
});

/** One eval case as written in evals/suites/<suite>.yaml. */
export const evalCaseSchema = z.object({
  id: z.string(),
  /** The request type; the offline model claims some intents and must hand off the rest. */
  intent: z.string(),
  persona: z.enum(['ops', 'customer']),
  /** The verified customer of a customer conversation. */
  customer: z.string().optional(),
  messages: z.array(z.string()).min(1),
  /** Model steps for `--model scripted` (tool calls and texts); cases without one are offline/anthropic only. */
  script: z
    .array(z.union([z.object({ text: z.string() }), z.object({ toolCalls: z.array(z.object({ name: z.string(), input: z.record(z.string(), z.unknown()) })) })]))
    .optional(),
  /** After the conversation, someone tries to decide the approvals it created. */
  decide: decideStep.optional(),
  expect: z
    .object({
      tools_called: z.array(z.string()).default([]),
      tools_not_called: z.array(z.string()).default([]),
      reply_contains: z.array(z.string()).default([]),
      reply_not_contains: z.array(z.string()).default([]),
      handed_off: z.boolean().optional(),
      approvals: z.number().int().optional(),
      db: z.array(dbAssertion).default([]),
    })
    .default({ tools_called: [], tools_not_called: [], reply_contains: [], reply_not_contains: [], db: [] }),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;
