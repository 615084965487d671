const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const HEADER_BYTES = 5; // type byte + int32 length

/**
 * Reads a PostgreSQL backend's output (the wire protocol, in chunks split anywhere) and says
 * whether the backend is idle: its last message was ReadyForQuery with status `I`, so no
 * transaction is open and no extended-protocol sequence (Parse ... Sync) or COPY is under way.
 * Only then may another user of the same single-connection backend go next.
 */
export class BackendIdleTracker {
  #header = Buffer.alloc(HEADER_BYTES);
  #headerFill = 0;
  #bodyLeft = 0;
  #bodyRead = 0;
  #type = 0;
  #status = IDLE;
  #idle = true;

  get idle(): boolean {
    return this.#idle;
  }

  /** The transaction status of the last ReadyForQuery: `I` idle, `T` in a transaction, `E` failed one. */
  get status(): string {
    return String.fromCharCode(this.#status);
  }

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#headerFill < HEADER_BYTES) {
        this.#header[this.#headerFill++] = chunk[i++]!;
        if (this.#headerFill === HEADER_BYTES) {
          this.#type = this.#header[0]!;
          this.#bodyLeft = this.#header.readInt32BE(1) - 4;
          this.#bodyRead = 0;
          // Any message but ReadyForQuery means a response is under way.
          if (this.#type !== READY_FOR_QUERY) this.#idle = false;
          if (this.#bodyLeft <= 0) this.#endMessage();
        }
        continue;
      }
      const take = Math.min(this.#bodyLeft, chunk.length - i);
      if (this.#type === READY_FOR_QUERY && this.#bodyRead === 0) this.#status = chunk[i]!;
      this.#bodyRead += take;
      this.#bodyLeft -= take;
      i += take;
      if (this.#bodyLeft === 0) this.#endMessage();
    }
  }

  #endMessage(): void {
    if (this.#type === READY_FOR_QUERY) this.#idle = this.#status === IDLE;
    this.#headerFill = 0;
  }
}
