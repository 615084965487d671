/** "just now", "5 min ago", "3 h ago", "2 d ago"; "in 4 h" for a time ahead. */
export function humanAge(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  const ahead = seconds < 0;
  const s = Math.abs(seconds);
  let span: string;
  if (s < 45) return 'just now';
  if (s < 3_600) span = `${Math.max(1, Math.round(s / 60))} min`;
  else if (s < 86_400 * 2) span = `${Math.round(s / 3_600)} h`;
  else span = `${Math.round(s / 86_400)} d`;
  return ahead ? `in ${span}` : `${span} ago`;
}

/** A date as people read it, in the browser's time zone: "Mar 4, 2026, 2:00 PM". */
export function humanDate(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}
