import { signToken } from './signed-token.js';

export type MessageCategory = 'transactional' | 'marketing';

/** Builds the signed links messages carry; every one starts with PUBLIC_URL (or the server's own address). */
export interface NotificationLinks {
  trackingPage(orderId: string): string;
  unsubscribe(customerId: string, category: MessageCategory): string;
}

export function notificationLinks(publicUrl: string, secret: string): NotificationLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    trackingPage: (orderId) => `${base}/track/${signToken(secret, 'track', orderId)}`,
    unsubscribe: (customerId, category) => `${base}/unsubscribe/${signToken(secret, 'unsubscribe', `${customerId}\n${category}`)}`,
  };
}
