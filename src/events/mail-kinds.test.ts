import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { events } from './capability.ts';

/** Every `kind: 'events.…'` the capability's code queues mail with (its timeline kinds are "event.…", its jobs defineJob ids). */
function mailKindsQueued(dir: string): string[] {
  const kinds = new Set<string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/kind: (?:review\.decision === 'approve' \? )?'(events\.[a-z.-]+)'(?: : '(events\.[a-z.-]+)')?/g)) {
      kinds.add(m[1]!);
      if (m[2]) kinds.add(m[2]);
    }
  }
  return [...kinds].sort();
}

describe('the events mail kinds', () => {
  it('names every kind of mail the capability sends in words for the mail viewer, the submission emails too', () => {
    const queued = mailKindsQueued(import.meta.dirname);
    expect(queued).toEqual(expect.arrayContaining(['events.booking.confirmation', 'events.submission.approved', 'events.submission.declined', 'events.submission.received']));
    const words: Readonly<Record<string, string>> = events.mailKinds ?? {};
    for (const kind of queued) expect(words[kind], kind).toMatch(/^[A-Z][^.]*[a-z)]$/);
  });
});
