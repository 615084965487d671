import type { Db } from '../db/db.js';
import type { Clock } from './clock.js';
import type { NotificationLinks } from './notification-links.js';
import type { NotificationRenderer } from './render-notification.js';
import type { NotificationSettings } from './workflow.js';

/**
 * What the notification engine works with, built once by whoever runs it (the app's
 * notifications extension, a CLI command, a test with a clock it moves by hand).
 */
export interface NotificationEngineDeps {
  db: Db;
  clock: Clock;
  renderer: NotificationRenderer;
  links: NotificationLinks;
  store: { name: string; supportEmail: string; publicUrl: string; timezone: string };
  /** The workflows file's settings (quiet hours and their time zone). */
  settings: NotificationSettings;
}
