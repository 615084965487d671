/**
 * A mail that can never be read: the parser refused its structure (mailsplit allows at most 1000
 * MIME nodes) or its HTML nests too deeply to walk safely. Retrying cannot help, so the doors
 * keep it for a person (outcome `unparseable`) and the SMTP door answers 554, never 451.
 */
export class UnparseableEmailError extends Error {
  constructor(reason: string) {
    super(`the message cannot be parsed: ${reason}`);
    this.name = 'UnparseableEmailError';
  }
}
