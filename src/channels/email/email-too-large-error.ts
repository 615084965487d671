/** A mail over EMAIL_MAX_BYTES; the SMTP server answers 552, the webhook 413. */
export class EmailTooLargeError extends Error {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`the message is ${sizeBytes} bytes; the limit is ${maxBytes} bytes (EMAIL_MAX_BYTES)`);
    this.name = 'EmailTooLargeError';
  }
}
