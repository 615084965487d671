import type { AlertSink, AnomalyAlert } from './alert-sink.js';

/** The default sink: writes each alert as one line (or nowhere), and remembers what it raised. */
export function createLoggingAlertSink(log: ((line: string) => void) | null = (l) => console.log(l)): AlertSink & {
  raised: AnomalyAlert[];
} {
  const raised: AnomalyAlert[] = [];
  return {
    raised,
    async raise(alert) {
      raised.push(alert);
      log?.(`[${alert.severity}] ${alert.subject}: ${alert.title} — ${alert.reasons.join('; ')}`);
    },
  };
}
