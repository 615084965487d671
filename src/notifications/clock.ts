/** Where the notification engine reads the time: the system clock in service, one a test moves by hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
