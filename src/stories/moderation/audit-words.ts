import type { AuditWords } from '../../platform/index.ts';

/** Moderation's audit entries in words (a story is named by its number: its words are sealed). */
export const moderationAuditActions: AuditWords['actions'] = {
  'story.queue.view': { label: 'Moderation queue looked at' },
  'story.moderate.view': { label: 'Story opened to moderate', sentence: ({ subject }) => `Opened ${subject} to moderate` },
  'story.view.safeguarding': { label: 'Story refused (with the safeguarding lead)', sentence: ({ subject }) => `Was refused ${subject}: it is with the safeguarding lead` },
  'story.published.draft': { label: 'Published version written', sentence: ({ subject }) => `Wrote the published version of ${subject}` },
  'story.published.send': { label: 'Published version sent to its teller', sentence: ({ subject }) => `Sent the published version of ${subject} to its teller to approve` },
  'story.published.approve': { label: 'Published version approved by its teller', sentence: ({ subject }) => `The teller approved the published version of ${subject}: it is live` },
  'story.published.changes': { label: 'Teller asked for changes', sentence: ({ subject }) => `The teller asked for changes to the published version of ${subject}` },
  'story.safeguarding.flag': { label: 'Story flagged for safeguarding', sentence: ({ subject }) => `Flagged ${subject} for safeguarding (hidden from everyone but the lead)` },
  'story.safeguarding.clear': { label: 'Safeguarding flag cleared by the lead', sentence: ({ subject }) => `Acted on the safeguarding flag on ${subject} and cleared it` },
  'story.hold': { label: 'Story held (complaint or legal case)', sentence: ({ subject, after }) => `Held ${subject}: ${String(after.reason ?? '').toLowerCase()}` },
  'story.release': { label: 'Story released from its hold', sentence: ({ subject }) => `Released the hold on ${subject}` },
};
