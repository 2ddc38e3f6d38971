import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../platform/http/errors.ts';
import { errorsFrom, parseParams, parseRequest, queryText, type FieldErrors } from '../../platform/web/forms.ts';
import type { Viewer } from '../../platform/web/context.ts';
import { stateLabels } from '../states.ts';
import type { Petition } from '../store.ts';
import type { PetitionState } from '../tables.ts';

const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** A moment, as UK clocks showed it. */
export function formatTime(date: Date): string {
  return time.format(date);
}

/** A calendar date stored as YYYY-MM-DD → "31 March 2027". */
export function formatDate(isoDate: string): string {
  return day.format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

const tagColour: Record<PetitionState, string> = {
  draft: 'tag--grey',
  awaiting_moderation: 'tag--yellow',
  open: 'tag--green',
  closed: '',
  rejected: 'tag--red',
  hidden: 'tag--red',
};

/** The state as a labelled tag (the words carry the meaning; colour only helps). */
export function StateTag({ state }: { state: PetitionState }) {
  return <strong class={`tag ${tagColour[state]}`.trim()}>{stateLabels[state]}</strong>;
}

export function petitionAdminPath(id: number, page = ''): string {
  return `/admin/petitions/${id}${page ? `/${page}` : ''}`;
}

/** Breadcrumbs for pages under one petition. */
export function petitionCrumbs(petition: Petition): Array<{ href: string; label: string }> {
  return [
    { href: '/admin/petitions', label: 'Petitions' },
    { href: petitionAdminPath(petition.id), label: petition.action },
  ];
}

const petitionParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/, { message: 'Enter a petition id' })
    .transform(Number)
    .refine((id) => id >= 1, { message: 'Enter a petition id' }),
});
const pageQuery = z.object({ page: queryText() });
const noticeQuery = z.object({ notice: queryText() });

/** The petition id in the URL; anything else is a page that does not exist. */
export function petitionIdOf(request: FastifyRequest): number {
  return parseParams(petitionParams, request.params, 'petition').id;
}

/** ?page=N, at least 1. */
export function pageOf(request: FastifyRequest): number {
  const raw = parseRequest(pageQuery, request.query).page ?? '1';
  const page = /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.max(1, page);
}

/** Routes behind requireRole() always have a viewer. */
export function viewerOf(request: FastifyRequest): Viewer {
  return request.viewer!;
}

/** The ?notice= code a redirect carried, if any. */
export function noticeOf(request: FastifyRequest): string | undefined {
  return parseRequest(noticeQuery, request.query).notice;
}

/** A rule's field problems, to show on the form again; any other error goes on to the error page. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (error instanceof DomainError && error.code === 'invalid') return errorsFrom(error);
  throw error;
}
