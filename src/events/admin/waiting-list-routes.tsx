import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Button, ErrorSummary, Form, Layout, Notice, ScrollingTable, TextInput, errorsFrom, formValues, formatLondon, formatNumber, parseForm, parseParams, requireRole, DomainError, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { cancelBookingAsOrganiser } from '../cancel-booking.ts';
import { eventFor, hasPower } from '../event-access.ts';
import type { ChorusEvent } from '../store.ts';
import type { AppContext, Q, WaitingStatus } from '../tables.ts';
import { eventAdminPath } from './views.tsx';

const eventParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const cancelForm = z.object({ reference: z.string({ message: 'Enter the booking reference' }).trim().min(1, { message: 'Enter the booking reference' }).max(40, { message: 'Enter the booking reference, like EV-7K3QXP2M' }) });

const statusWords: Record<WaitingStatus, string> = { waiting: 'Waiting', offered: 'Offered', booked: 'Booked from the list', left: 'Left', lapsed: 'Offer lapsed' };

interface Row {
  name: string;
  places: number;
  tier: string;
  status: WaitingStatus;
  created_at: Date;
  offer_expires_at: Date | null;
}

async function entriesOf(q: Q, eventId: number): Promise<Row[]> {
  return q
    .selectFrom('waiting_list_entries')
    .innerJoin('ticket_tiers', 'ticket_tiers.id', 'waiting_list_entries.tier_id')
    .select(['waiting_list_entries.name', 'waiting_list_entries.places', 'ticket_tiers.name as tier', 'waiting_list_entries.status', 'waiting_list_entries.created_at', 'waiting_list_entries.offer_expires_at'])
    .where('waiting_list_entries.event_id', '=', eventId)
    .orderBy('waiting_list_entries.id')
    .limit(2000)
    .execute();
}

function WaitingListAdminPage({ event, rows, canManage, values, errors, notice }: { event: ChorusEvent; rows: Row[]; canManage: boolean; values?: FormValues; errors?: FieldErrors | undefined; notice?: string | undefined }) {
  const open = rows.filter((r) => r.status === 'waiting' || r.status === 'offered');
  return (
    <Layout title={`${errors ? 'Error: ' : ''}Waiting list: ${event.title}`} breadcrumbs={[{ href: '/admin/events', label: 'Events' }, { href: eventAdminPath(event.id), label: event.title }]}>
      <ErrorSummary errors={errors} />
      {notice === 'cancelled' ? <Notice>The booking is cancelled, the booker has been emailed, and its places offered to the waiting list.</Notice> : null}
      <h1>Waiting list</h1>
      <p>
        {formatNumber(open.filter((r) => r.status === 'waiting').length)} waiting, {formatNumber(open.filter((r) => r.status === 'offered').length)} holding an offer ({formatNumber(event.placesHeld)} places held). Freed places are offered in this order and held for 24 hours.
      </p>
      {rows.length > 0 ? (
        <ScrollingTable label="Waiting list">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Ticket</th>
                <th scope="col">Places</th>
                <th scope="col">Joined</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.name}</td>
                  <td>{r.tier}</td>
                  <td>{r.places}</td>
                  <td>{formatLondon(r.created_at, 'short')}</td>
                  <td>
                    {statusWords[r.status]}
                    {r.status === 'offered' && r.offer_expires_at ? ` until ${formatLondon(r.offer_expires_at, 'short')}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      ) : (
        <p>Nobody is on the waiting list.</p>
      )}
      {canManage ? (
        <Form action={eventAdminPath(event.id, 'bookings/cancel')}>
          <h2>Cancel a booking</h2>
          <TextInput name="reference" label="Booking reference" hint="As on the booker’s email, like EV-7K3QXP2M. The booker is emailed, and the places go to the waiting list." width="10" spellcheck={false} values={values ?? {}} errors={errors} />
          <Button variant="warning">Cancel this booking</Button>
        </Form>
      ) : null}
    </Layout>
  );
}

/** Organisers see an event's waiting list, and cancel a booking by its reference (its places go to the list). */
export function registerWaitingListAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const idOf = (request: FastifyRequest) => parseParams(eventParams, request.params, 'event').id;

  app.get('/admin/events/:id/waiting-list', { preHandler: requireRole() }, async (request, reply) => {
    const event = await eventFor(ctx.db, request.viewer!, idOf(request), 'view');
    return reply.render(<WaitingListAdminPage event={event} rows={await entriesOf(ctx.db, event.id)} canManage={hasPower(request.viewer!, 'manage')} notice={reply.takeNotice()} />);
  });

  app.post('/admin/events/:id/bookings/cancel', { preHandler: requireRole('admin', 'organiser') }, async (request, reply) => {
    const event = await eventFor(ctx.db, request.viewer!, idOf(request), 'manage');
    const render = async (errors: FieldErrors) => reply.render(<WaitingListAdminPage event={event} rows={await entriesOf(ctx.db, event.id)} canManage values={formValues(request.body)} errors={errors} />, 422);
    const form = parseForm(cancelForm, request.body);
    if (!form.ok) return render(form.errors);
    try {
      await cancelBookingAsOrganiser(ctx, request.viewer!, event.id, form.value.reference);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid') return render(errorsFrom(error));
      if (error instanceof DomainError && error.code === 'conflict') return render({ reference: error.message });
      throw error;
    }
    return reply.redirectWithNotice(eventAdminPath(event.id, 'waiting-list'), 'cancelled');
  });
}
