import type { Db } from '../../src/db/db.js';
import type { CapturedMail } from '../email/capture-smtp-server.js';
import type { Answer } from './fault-load.js';

/** The SMTP outage the suite injected: wall-clock bounds, the same on the capture server's clock, and what it refused. */
export interface SmtpOutage {
  from: number;
  until: number;
  /** performance.now() at the start and end, the clock of CapturedMail.receivedAt. */
  fromPerf: number;
  untilPerf: number;
  /** Connections and commands the capture server answered with 421. */
  refused: number;
}

export interface SmtpOutageCount {
  checks: Record<string, boolean>;
  lines: string[];
  json: Record<string, unknown>;
}

interface WindowMail {
  message_id: string;
  source: string;
  outcome: string;
}

const sample = (ids: string[]) => ids.slice(0, 5).join(' ');

/**
 * What became of the mail due while the SMTP server refused: every outbound mail recorded in that
 * window (a reply, or a notification's first try) and not dropped since (suppressed: its run was
 * cancelled by a later event, or consent withdrawn) sent in the end and captured once, by
 * Message-ID and by recipient and subject; how many needed more than one try and how many went
 * out only after the server was back; what reached the dead-letter list since; and what the API
 * answered meanwhile. `retriedReplies` are the Message-IDs of reply jobs that ran more than once.
 */
export async function countSmtpOutage(input: {
  db: Db;
  messages: CapturedMail[];
  outage: SmtpOutage;
  answers: Answer[];
  retriedReplies: Set<string>;
}): Promise<SmtpOutageCount> {
  const { db, outage } = input;
  const q = async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows;

  const recorded = await q<WindowMail>(
    `SELECT message_id, source, outcome FROM email_messages
      WHERE direction = 'outbound' AND created_at >= to_timestamp($1 / 1000.0) AND created_at < to_timestamp($2 / 1000.0)`,
    [outage.from, outage.until],
  );
  // A notification whose run a later event cancelled before its retry (delivered before "out for delivery" went out) is no longer due.
  const dropped = recorded.filter((m) => m.outcome === 'suppressed');
  const due = recorded.filter((m) => m.outcome !== 'suppressed');
  const ids = due.map((m) => m.message_id);
  const outcomes = await q<{ outcome: string; n: number }>(`SELECT outcome, count(*)::int AS n FROM email_messages WHERE direction = 'outbound' GROUP BY outcome`);
  const queuedAnywhere = outcomes.find((o) => o.outcome === 'queued')?.n ?? 0;
  const stillQueued = await q<{ message_id: string; source: string; at_s: number; detail: string }>(
    `SELECT message_id, source, round(extract(epoch FROM created_at) - $1 / 1000.0)::int AS at_s, left(outcome_detail, 120) AS detail
       FROM email_messages WHERE direction = 'outbound' AND outcome = 'queued' ORDER BY created_at LIMIT 5`,
    [outage.from],
  );
  const retriedNotifications = await q<{ provider_id: string }>(
    `SELECT DISTINCT n.provider_id FROM outbox o JOIN notification_messages n ON n.id::text = o.payload->>'messageId'
      WHERE o.topic = 'notification.message_queued' AND o.attempts > 1 AND n.provider_id = ANY($1)`,
    [ids],
  );
  const deadLetters = await q<{ queue: string; job_id: string; error: string; retried: boolean }>(
    `SELECT queue, job_id, left(error, 160) AS error, retried_at IS NOT NULL AS retried FROM failed_jobs
      WHERE failed_at >= to_timestamp($1 / 1000.0)
        AND (queue = 'email-outbound' OR (queue = 'outbox' AND payload->>'topic' = 'notification.message_queued'))
      ORDER BY id`,
    [outage.from],
  );

  const copies = new Map<string, CapturedMail[]>();
  for (const m of input.messages) {
    const id = m.parsed.messageId ?? '(none)';
    copies.set(id, [...(copies.get(id) ?? []), m]);
  }
  const topic = (m: CapturedMail) => `${m.envelope.to.join(',')} | ${m.parsed.subject ?? ''}`;
  const byTopic = new Map<string, number>();
  for (const m of input.messages) byTopic.set(topic(m), (byTopic.get(topic(m)) ?? 0) + 1);

  const unsent = due.filter((m) => m.outcome !== 'sent');
  const neverArrived = ids.filter((id) => !copies.has(id));
  const twice = ids.filter((id) => (copies.get(id)?.length ?? 0) > 1);
  const sameTopicTwice = ids.filter((id) => copies.get(id)?.some((m) => byTopic.get(topic(m))! > 1));
  const afterComeback = ids.filter((id) => copies.get(id)?.[0] && copies.get(id)![0]!.receivedAt >= outage.untilPerf);
  const retried = new Set([...retriedNotifications.map((r) => r.provider_id), ...ids.filter((id) => input.retriedReplies.has(id))]);

  const during = input.answers.filter((a) => a.sentAt >= outage.from && a.sentAt < outage.until);
  const bad = during.filter((a) => a.status === 0 || a.status >= 500);
  const byStatus = during.reduce<Record<string, number>>((o, a) => ((o[a.status] = (o[a.status] ?? 0) + 1), o), {});
  const bySource = due.reduce<Record<string, number>>((o, m) => ((o[m.source] = (o[m.source] ?? 0) + 1), o), {});

  const checks = {
    every_mail_due_while_smtp_down_sent_once:
      due.length > 0 && unsent.length === 0 && neverArrived.length === 0 && twice.length === 0 && sameTopicTwice.length === 0 && queuedAnywhere === 0,
    smtp_failures_retried_not_dead_lettered: outage.refused > 0 && deadLetters.length === 0,
    no_500_while_smtp_down: during.length > 0 && bad.length === 0,
  };
  const json = {
    refused: outage.refused,
    due: due.length,
    due_by_source: bySource,
    dropped_as_stale_or_by_consent: dropped.length,
    sent: due.length - unsent.length,
    never_arrived: neverArrived.length,
    sent_twice: twice.length,
    same_recipient_and_subject_twice: sameTopicTwice.length,
    retried: retried.size,
    sent_after_comeback: afterComeback.length,
    dead_letters: deadLetters.length,
    dead_letters_unretried: deadLetters.filter((d) => !d.retried).length,
    outbound_by_outcome: Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])),
    answers: during.length,
    answers_by_status: byStatus,
    answers_bad: bad.length,
  };
  const lines = [
    `  while SMTP refused (${outage.refused} connections and commands answered 421): ${due.length} mails due ${JSON.stringify(bySource)} (${dropped.length} more recorded and then dropped as stale), ${json.sent} sent in the end, ${neverArrived.length} never arrived, ${twice.length} twice by Message-ID, ${sameTopicTwice.length} recipient+subject twice; ${retried.size} needed more than one try, ${afterComeback.length} went out after SMTP was back; ${deadLetters.length} dead-lettered since (${json.dead_letters_unretried} not retried); outbound mail by outcome ${JSON.stringify(json.outbound_by_outcome)}`,
    ...unsent.slice(0, 5).map((m) => `    not sent ${m.source} ${m.message_id}: ${m.outcome}`),
    ...(neverArrived.length ? [`    recorded but never captured: ${sample(neverArrived)}`] : []),
    ...(twice.length ? [`    captured twice: ${sample(twice)}`] : []),
    ...stillQueued.map((m) => `    still queued ${m.source} ${m.message_id}, recorded ${m.at_s} s from the outage's start: ${m.detail}`),
    ...deadLetters.slice(0, 5).map((d) => `    dead letter ${d.queue} ${d.job_id}${d.retried ? ' (retried)' : ''}: ${d.error}`),
    `  while SMTP was down: ${during.length} answers ${JSON.stringify(byStatus)}, ${bad.length} 5xx or without an answer`,
  ];
  return { checks, lines, json };
}
