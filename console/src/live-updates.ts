/** An approval event as GET /api/events sends it. */
export interface ApprovalEvent {
  type: 'approval.created' | 'approval.decided' | 'approval.expired';
  approval_id: string;
  status: string;
  order_id: string | null;
}

type Listener = (event: ApprovalEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

/** Calls `listener` for every approval event until the returned function is called; one stream serves all. */
export function onApprovalEvent(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource('/api/events');
    for (const type of ['approval.created', 'approval.decided', 'approval.expired']) {
      source.addEventListener(type, (e) => {
        const event = JSON.parse((e as MessageEvent<string>).data) as ApprovalEvent;
        for (const l of listeners) l(event);
      });
    }
    source.addEventListener('open', () => document.body.setAttribute('data-live', 'on'));
  }
  return () => listeners.delete(listener);
}
