/** One server-sent event as a client sees it. */
export interface ReceivedEvent {
  event: string;
  data: string;
}

export interface EventStreamClient {
  /** Every event received so far, in order (comments such as `: connected` are left out). */
  readonly events: ReceivedEvent[];
  /** Resolves once the stream has sent its `: connected` comment. */
  connected(): Promise<void>;
  /** Reads until an event matches `predicate`; rejects when the stream ends first. */
  until(predicate: (e: ReceivedEvent) => boolean): Promise<ReceivedEvent>;
  close(): void;
}

/** A text/event-stream client over fetch (refusing any other response), reading the wire format the way a browser's EventSource does. */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  if (!/^text\/event-stream/.test(res.headers.get('content-type') ?? '')) {
    controller.abort();
    throw new Error(`GET ${url}: content-type ${res.headers.get('content-type')}, not text/event-stream`);
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: ReceivedEvent[] = [];
  let buffer = '';
  let sawConnected = false;

  const readMore = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream from ${url} ended; received ${JSON.stringify(events)}`);
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.split('\n').includes(': connected')) sawConnected = true;
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data });
    }
  };

  return {
    events,
    async connected() {
      while (!sawConnected) await readMore();
    },
    async until(predicate) {
      for (let seen = 0; ; ) {
        for (; seen < events.length; seen++) if (predicate(events[seen]!)) return events[seen]!;
        await readMore();
      }
    },
    close: () => controller.abort(),
  };
}
