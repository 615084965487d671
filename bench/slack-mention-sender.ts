/**
 * The Slack side of the Slack benchmark, run as its own process the way Slack is its own
 * machine: reads prepared event bodies, signs each at send time, POSTs them all at once and
 * prints each request's ack latency as JSON.
 *
 *   tsx bench/slack-mention-sender.ts <url> <signing secret> <bodies.json>
 */
import { readFileSync } from 'node:fs';
import { postSignedToApp } from '../test/slack/slack-request-sender.js';

const [url, secret, file] = process.argv.slice(2);
if (!url || !secret || !file) {
  console.error('usage: slack-mention-sender <url> <signing secret> <bodies.json>');
  process.exit(2);
}
const bodies = JSON.parse(readFileSync(file, 'utf8')) as string[];
const answers = await Promise.all(bodies.map((body) => postSignedToApp(url, body, { signingSecret: secret })));
console.log(JSON.stringify(answers.map((a) => ({ status: a.status, ms: a.ms }))));
