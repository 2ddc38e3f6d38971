import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, Pagination, QueryNotice, ScrollingTable, Select, Tag, TextArea, TextInput, formatCalendarDate, formatLondon, formatNumber, type FieldErrors, type FormValues, type Option } from '../../platform/index.ts';
import { ABOUT_MAX, POINTS_MAX, TITLE_MAX } from './campaign-form.ts';
import { adminCampaignPath, campaignPath, type LetterCampaign } from './campaigns.ts';
import type { MpResponsiveness } from './responsiveness.ts';
import type { Letter } from './store.ts';

const ownerName = (c: LetterCampaign, groups: ReadonlyMap<number, string>) => (c.groupId === null ? 'Coalition-wide' : (groups.get(c.groupId) ?? 'A member group'));

export function CampaignsAdminPage(props: { campaigns: LetterCampaign[]; groups: ReadonlyMap<number, string>; canCreate: boolean; query: unknown }) {
  return (
    <Layout title="Letters to MPs">
      <h1>Letters to MPs</h1>
      <p>Campaigns where supporters write to their MP in their own words, and how MPs answer.</p>
      {props.canCreate ? (
        <p>
          <a class="button button--primary" href="/admin/letters/new">
            Start a letter campaign
          </a>
        </p>
      ) : null}
      {props.campaigns.length === 0 ? (
        <p>No letter campaigns yet.</p>
      ) : (
        <ScrollingTable label="Letter campaigns">
          <table class="table">
            <caption class="visually-hidden">Letter campaigns</caption>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Whose</th>
                <th scope="col">Deadline</th>
                <th scope="col" class="numeric">Letters sent</th>
                <th scope="col" class="numeric">Replies</th>
                <th scope="col" class="numeric">Held</th>
              </tr>
            </thead>
            <tbody>
              {props.campaigns.map((c) => (
                <tr>
                  <td>
                    <a href={adminCampaignPath(c.id)}>{c.title}</a>
                  </td>
                  <td>{ownerName(c, props.groups)}</td>
                  <td>{formatCalendarDate(c.deadline)}</td>
                  <td class="numeric">{formatNumber(c.sent)}</td>
                  <td class="numeric">{formatNumber(c.replies)}</td>
                  <td class="numeric">{formatNumber(c.held)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
    </Layout>
  );
}

export function CampaignFormPage(props: { campaign: LetterCampaign | undefined; owners: Option[]; values: FormValues; errors?: FieldErrors | undefined }) {
  const { values, errors } = props;
  const title = props.campaign ? `Change “${props.campaign.title}”` : 'Start a letter campaign';
  return (
    <Layout title={errors ? `Error: ${title}` : title}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <Form action={props.campaign ? adminCampaignPath(props.campaign.id, 'edit') : '/admin/letters/new'}>
        <TextInput name="title" label="Title" maxLength={TITLE_MAX} values={values} errors={errors} />
        <TextArea name="about" label="What it is about" hint="Shown above the letter form." rows={5} maxLength={ABOUT_MAX} values={values} errors={errors} />
        <TextArea name="talking_points" label="Talking points" hint="One a line. Shown beside the letter box for writers to make in their own words (never pasted in)." rows={6} maxLength={POINTS_MAX} values={values} errors={errors} />
        <TextInput name="deadline" type="date" label="Deadline" hint="The last day letters are taken, like 2027-03-31." width="10" values={values} errors={errors} />
        <Select name="group" label="Whose campaign" options={props.owners} values={values} errors={errors} />
        <ChoiceGroup
          type="radio"
          name="target"
          legend="Who the letters go to"
          options={[
            { value: 'own_mp', label: 'Each writer’s own MP', hint: 'Found from the writer’s postcode.' },
            { value: 'chosen', label: 'The MPs for these seats', hint: 'Every letter goes to each of them.' },
          ]}
          selected={[values.target || 'own_mp']}
          errors={errors}
        />
        <TextArea name="seats" label="Seats (for “the MPs for these seats”)" hint="Constituency names or codes, one a line." rows={3} values={values} errors={errors} />
        <Button>{props.campaign ? 'Save changes' : 'Start the campaign'}</Button>
      </Form>
    </Layout>
  );
}

export function ResponsivenessTable({ rows, caption }: { rows: MpResponsiveness[]; caption: string }) {
  if (rows.length === 0) return <p>No letters delivered yet.</p>;
  return (
    <ScrollingTable label={caption}>
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">MP</th>
            <th scope="col">Seat</th>
            <th scope="col" class="numeric">Letters</th>
            <th scope="col" class="numeric">Replies</th>
            <th scope="col" class="numeric">Median days to reply</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.mpName}</td>
              <td>
                <a href={`/admin/seats/${encodeURIComponent(r.seatCode)}`}>{r.seatName ?? r.seatCode}</a>
              </td>
              <td class="numeric">{formatNumber(r.letters)}</td>
              <td class="numeric">{formatNumber(r.replies)}</td>
              <td class="numeric">{r.medianDaysToReply === null ? '–' : formatNumber(Math.round(r.medianDaysToReply * 10) / 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

const stateTag = (l: Letter) =>
  l.state === 'held' ? <Tag colour="yellow">Held: {l.heldReason === 'short' ? 'very short' : `${Math.round((l.similarity ?? 0) * 100)}% like another`}</Tag> : l.state === 'rejected' ? <Tag colour="red">Rejected</Tag> : l.deliveredAt ? <Tag colour="green">Delivered</Tag> : l.confirmedAt ? <Tag colour="green">Sending</Tag> : <Tag colour="grey">Email not confirmed</Tag>;

export interface CampaignAdminProps {
  campaign: LetterCampaign;
  owner: string;
  canManage: boolean;
  responsiveness: MpResponsiveness[];
  letters: Letter[];
  total: number;
  page: number;
  totalPages: number;
  query: unknown;
}

export function CampaignAdminPage(props: CampaignAdminProps) {
  const { campaign } = props;
  return (
    <Layout title={campaign.title} wide>
      <h1>{campaign.title}</h1>
      <QueryNotice query={props.query} messages={{ created: 'The campaign was started.', updated: 'The campaign was saved.', released: 'The letter was released: it goes once its writer confirms their email.', rejected: 'The letter was rejected.' }} />
      <p>
        {props.owner}. Letters taken until {formatCalendarDate(campaign.deadline)}. <a href={campaignPath(campaign)}>The public page</a>
        {props.canManage ? (
          <>
            {' · '}
            <a href={adminCampaignPath(campaign.id, 'edit')}>Change the campaign</a>
          </>
        ) : null}
      </p>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt class="summary-list__key">Letters delivered</dt>
          <dd class="summary-list__value">{formatNumber(campaign.sent)}</dd>
        </div>
        <div class="summary-list__row">
          <dt class="summary-list__key">Replies writers told us of</dt>
          <dd class="summary-list__value">{formatNumber(campaign.replies)}</dd>
        </div>
        <div class="summary-list__row">
          <dt class="summary-list__key">Held for review</dt>
          <dd class="summary-list__value">{formatNumber(campaign.held)}</dd>
        </div>
      </dl>
      <h2>How MPs answer</h2>
      <ResponsivenessTable rows={props.responsiveness} caption="Letters and replies per MP" />
      <h2>Letters</h2>
      {!props.canManage ? (
        <p>Only this campaign’s own organisers see who wrote.</p>
      ) : props.letters.length === 0 ? (
        <p>No letters yet.</p>
      ) : (
        <>
          <ScrollingTable label="Letters">
            <table class="table">
              <caption class="visually-hidden">Letters, held ones first</caption>
              <thead>
                <tr>
                  <th scope="col">Writer</th>
                  <th scope="col">To</th>
                  <th scope="col">Written</th>
                  <th scope="col">State</th>
                  <th scope="col">Letter</th>
                </tr>
              </thead>
              <tbody>
                {props.letters.map((l) => (
                  <tr>
                    <td>{l.writerName ?? 'Erased'}</td>
                    <td>{l.mpName}</td>
                    <td>{formatLondon(l.createdAt)}</td>
                    <td>{stateTag(l)}</td>
                    <td>
                      {l.body ? (
                        <details class="details">
                          <summary class="details__summary">Read</summary>
                          <div class="details__text">{l.body}</div>
                        </details>
                      ) : (
                        'Deleted after delivery'
                      )}
                      {l.state === 'held' ? (
                        <>
                          <ActionButton action={adminCampaignPath(campaign.id, `letters/${l.id}/release`)} variant="primary">
                            Release<span class="visually-hidden"> the letter from {l.writerName}</span>
                          </ActionButton>{' '}
                          <ActionButton action={adminCampaignPath(campaign.id, `letters/${l.id}/reject`)} variant="warning">
                            Reject<span class="visually-hidden"> the letter from {l.writerName}</span>
                          </ActionButton>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollingTable>
          <Pagination page={props.page} totalPages={props.totalPages} href={(p) => `${adminCampaignPath(campaign.id)}?page=${p}`} />
        </>
      )}
    </Layout>
  );
}
