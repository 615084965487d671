/** What a text message asks of us when it is one of the carriers' standard keywords. */
export type SmsKeyword = 'stop' | 'start' | 'help';

// The keywords Twilio's Advanced Opt-Out recognises by default for each action.
const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  REVOKE: 'stop',
  OPTOUT: 'stop',
  START: 'start',
  UNSTOP: 'start',
  YES: 'start',
  HELP: 'help',
  INFO: 'help',
};

/**
 * The keyword a message is, or null. As with the carriers' own handling, the whole message must
 * be the one word, in any case, with surrounding spaces and trailing full stops or exclamation
 * marks ignored: "stop." is STOP, "please stop texting me" is a message for a person.
 */
export function parseSmsKeyword(body: string): SmsKeyword | null {
  const word = body.trim().replace(/[.!]+$/u, '').trim().toUpperCase();
  return Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word]! : null;
}
