import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../config/logger.js';

const PINO_LEVEL = { [LogLevel.DEBUG]: 'debug', [LogLevel.INFO]: 'info', [LogLevel.WARN]: 'warn', [LogLevel.ERROR]: 'error' } as const;

/**
 * The logger Bolt, the Web API client and Socket Mode write through, so their lines are JSON
 * lines of the service's logger (component `slack-sdk`, the SDK's part name as `name`) and not
 * the SDK's own plain console lines. The SDK sets its level; the service's LOG_LEVEL still bounds it.
 */
export function slackSdkLogger(parent: Logger): SlackLogger {
  let level: LogLevel = LogLevel.WARN;
  const floor = (wanted: LogLevel) => (parent.isLevelEnabled(PINO_LEVEL[wanted]) ? PINO_LEVEL[wanted] : parent.level);
  let log = parent.child({ component: 'slack-sdk' }, { level: floor(level) });
  const write = (at: LogLevel) => (...msg: unknown[]) => {
    const text = msg.map((m) => (m instanceof Error ? (m.stack ?? m.message) : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
    log[PINO_LEVEL[at]](text);
  };
  return {
    debug: write(LogLevel.DEBUG),
    info: write(LogLevel.INFO),
    warn: write(LogLevel.WARN),
    error: write(LogLevel.ERROR),
    setLevel(wanted) {
      level = wanted;
      log.level = floor(wanted);
    },
    getLevel: () => level,
    setName(name) {
      log = parent.child({ component: 'slack-sdk', name }, { level: floor(level) });
    },
  };
}
