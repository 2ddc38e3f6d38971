/**
 * Organisers type times as they read them on a UK clock; we store UTC. Europe/London is UTC in
 * winter and UTC+1 in summer, so the offset depends on the date itself.
 */
const ZONE = 'Europe/London';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** "2026-12-01T10:00" as a UK clock shows the instant `date`. */
export function toLondonInput(date: Date): string {
  const p = Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * The instant a UK clock reads "YYYY-MM-DDTHH:MM" (a space instead of T is fine). Undefined when
 * the text is not such a time, or names a time the clocks skip in spring; in the autumn hour that
 * happens twice, the first (summer time) is meant.
 */
export function fromLondonInput(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(asUtc).getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  const wanted = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}`;
  // Try summer time first, then winter time: whichever reads back as the typed clock time.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asUtc - offsetHours * 3_600_000);
    if (toLondonInput(candidate) === wanted) return candidate;
  }
  return undefined;
}
