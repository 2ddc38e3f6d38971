import { Tag, formatLondon, type TagColour } from '../../../platform/index.ts';
import type { Mailing } from '../store.ts';
import type { MailingStatus } from '../tables.ts';
import { readableSubject } from '../placeholders.ts';

const labels: Record<MailingStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  preparing: 'Preparing',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Stopped',
};

const tagColour: Record<MailingStatus, TagColour | undefined> = {
  draft: 'grey',
  scheduled: 'yellow',
  preparing: undefined,
  sending: undefined,
  sent: 'green',
  cancelled: 'red',
};

/** The status in words (never colour alone). */
export function StatusTag({ status }: { status: MailingStatus }) {
  return <Tag colour={tagColour[status]}>{labels[status]}</Tag>;
}

/** When it went or will go, in UK time. */
export function whenText(m: Mailing): string {
  if (m.status === 'scheduled' && m.scheduledFor) return `For ${formatLondon(m.scheduledFor)}`;
  if (m.finishedAt) return `Finished ${formatLondon(m.finishedAt)}`;
  if (m.sendRequestedAt) return `Started ${formatLondon(m.sendRequestedAt)}`;
  return `Last changed ${formatLondon(m.updatedAt)}`;
}

export function audienceText(m: Pick<Mailing, 'segment' | 'segmentId' | 'purposeName'>): string {
  if (!m.segment) return `Everyone who agreed to hear from ${m.purposeName}`;
  const deleted = m.segmentId === null ? ' (since deleted: its conditions as last saved)' : '';
  return `People in the segment “${m.segment.name}”${deleted} who agreed to hear from ${m.purposeName}`;
}


export const mailingsCrumb = { href: '/admin/mailings', label: 'Mailings' };

export function mailingCrumbs(m: Pick<Mailing, 'id' | 'subject'>) {
  return [mailingsCrumb, { href: `/admin/mailings/${m.id}`, label: readableSubject(m.subject) }];
}
