import { defaultLogger, logLine, type LogLine } from '../config/logger.js';
import type { AlertSink, AnomalyAlert } from './alert-sink.js';

/**
 * The default sink: writes each alert as one line (or nowhere), and remembers what it raised.
 * Alerts come only for new flags (raiseFlagWithAlert), so a breach still open is not repeated.
 */
export function createLoggingAlertSink(log: LogLine | null = logLine(defaultLogger().child({ component: 'alerts' }), 'warn')): AlertSink & {
  raised: AnomalyAlert[];
} {
  const raised: AnomalyAlert[] = [];
  return {
    raised,
    async raise(alert) {
      raised.push(alert);
      log?.(`[${alert.severity}] ${alert.subject}: ${alert.title} — ${alert.reasons.join('; ')}`, {
        alert: { severity: alert.severity, subject: alert.subject, flagId: alert.flagId },
      });
    },
  };
}
