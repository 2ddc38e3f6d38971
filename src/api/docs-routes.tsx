import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { Layout, notFound } from '../platform/index.ts';
import { MAX_PAGE_SIZE } from './osdi/hal.ts';
import { DEFAULT_REQUESTS_PER_SECOND } from './tokens.ts';
import { MAX_DELIVERY_ATTEMPTS } from './webhooks/deliver.ts';
import { DELIVERY_RETENTION_DAYS } from './webhooks/retention.ts';
import { REPLAY_TOLERANCE_SECONDS } from './webhooks/signing.ts';

/** Link relations the API uses, each a section of the documentation page (the `osdi:` curie points here). */
const SINGULAR: Record<string, string> = { person: 'people', tag: 'tags', list: 'lists', petition: 'petitions', tagging: 'taggings', item: 'items', signature: 'signatures' };
const RELATIONS = ['people', 'person_signup_helper', 'taggings', 'tags', 'lists', 'items', 'petitions', 'signatures', 'record_signature_helper', 'filters', 'webhooks', 'errors'];

const verifyExample = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received (bytes or string), before any JSON parsing.
function verify(secret, headers, rawBody) {
  const timestamp = headers['x-chorus-timestamp'];
  const signature = headers['x-chorus-signature'] ?? '';
  if (!/^[0-9]+$/.test(timestamp ?? '')) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > ${REPLAY_TOLERANCE_SECONDS}) return false; // too old: a replay
  const expected = 'sha256=' + createHmac('sha256', secret).update(timestamp + '.' + rawBody).digest('hex');
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}`;

function DocsPage({ baseUrl }: { baseUrl: string }) {
  const api = `${baseUrl}/api/v1`;
  return (
    <Layout title="API documentation">
      <h1>API documentation</h1>
      <p>
        The hub speaks the <a href="https://opensupporter.github.io/osdi-docs/">Open Supporter Data Interface (OSDI)</a> 1.2 as Action
        Network serves it: HAL+JSON at <code>{api}</code>. Tools that work with Action Network’s API work here with the base address
        changed.
      </p>
      <h2 id="keys">Keys</h2>
      <p>
        Organisers make keys on the “API and webhooks” admin page. A key belongs to one group and sees only that group’s people and
        petitions (coalition admins can make a key for the whole coalition). A key can read, or read and write. Send it in the{' '}
        <code>OSDI-API-Token</code> header on every request. Each key may make {DEFAULT_REQUESTS_PER_SECOND} requests a second; more get
        429 with a Retry-After header.
      </p>
      <pre>
        <code>curl -H "OSDI-API-Token: chorus_..." {api}/people</code>
      </pre>
      <h2 id="people">People</h2>
      <p>
        <code>GET /api/v1/people</code> lists people, {MAX_PAGE_SIZE} a page; <code>GET /api/v1/people/&lt;id&gt;</code> returns one. An
        email status of <code>subscribed</code> means the key’s group may email them now; <code>bouncing</code> means mail to them fails.
        The constituency is in <code>custom_fields.constituency</code>. A list filtered on <code>modified_date</code> also returns each
        person erased since then, with nothing personal: <code>"chorus:erased": true</code> and an email status of{' '}
        <code>unsubscribed</code> with no address.
      </p>
      <h2 id="person_signup_helper">Person signup helper</h2>
      <p>
        <code>POST /api/v1/people</code> with{' '}
        <code>{'{"person": {"given_name", "family_name", "email_addresses": [{"address", "status"}], "postal_addresses": [{"postal_code", "country"}]}, "add_tags": [...]}'}</code>{' '}
        creates a person, or updates the one with the same email address as your group sees them (fields you leave out are kept; what the person gave other groups is never shown or changed). The person is connected to the
        key’s group and tagged. <code>"status": "subscribed"</code> records that they agreed to hear from the group;{' '}
        <code>"unsubscribed"</code> withdraws it; leaving it out changes nothing. Needs a write key.
      </p>
      <h2 id="taggings">Tags and taggings</h2>
      <p id="tags">
        <code>GET /api/v1/tags</code>, <code>/tags/&lt;id&gt;</code> and <code>/tags/&lt;id&gt;/taggings</code> (the people with the tag);{' '}
        <code>/people/&lt;id&gt;/taggings</code> lists a person’s tags.
      </p>
      <h2 id="lists">Lists and items</h2>
      <p id="items">
        <code>GET /api/v1/lists</code>, <code>/lists/&lt;id&gt;</code> and <code>/lists/&lt;id&gt;/items</code> (the people on the list).
      </p>
      <h2 id="petitions">Petitions</h2>
      <p>
        <code>GET /api/v1/petitions</code> and <code>/petitions/&lt;id&gt;</code>: the petitions the key’s group runs, with their
        confirmed signature count.
      </p>
      <h2 id="signatures">Signatures</h2>
      <p>
        <code>GET /api/v1/petitions/&lt;id&gt;/signatures</code> lists confirmed signatures, each with the signer as an embedded person.
      </p>
      <h2 id="record_signature_helper">Record signature helper</h2>
      <p>
        <code>POST /api/v1/petitions/&lt;id&gt;/signatures</code> with{' '}
        <code>{'{"person": {...}, "comments": "...", "referrer_data": {"source", "referrer", "website", "url"}}'}</code> signs the
        petition for them, under the same rules as the petition page: a name and an email address, and a postcode that is a real one
        if you send it (without one the signature counts in the total and the UK’s, in no constituency); one signature per person
        (signing again returns the existing signature with 200 instead of 201, and sends no second email). The signer gets a
        confirmation email and the signature counts once they confirm it, unless an admin made the key one whose signatures count as
        confirmed (for a tool that has confirmed each signer’s address itself). <code>comments</code> and <code>referrer_data</code>{' '}
        are kept and shown on the signature. Needs a write key.
      </p>
      <h2 id="filters">Filters and pages</h2>
      <p>
        Collections take <code>page</code> and <code>per_page</code> (at most {MAX_PAGE_SIZE}) and answer with <code>total_records</code>,{' '}
        <code>total_pages</code> and <code>_links.next</code> / <code>prev</code>. They also take an OData-style <code>filter</code>:{' '}
        <code>field op 'value'</code> with <code>eq</code>, <code>ne</code>, <code>gt</code>, <code>ge</code>, <code>lt</code>,{' '}
        <code>le</code>, joined with <code>and</code> / <code>or</code> and grouped with parentheses, for example{' '}
        <code>filter=modified_date gt '2026-01-01'</code> or <code>filter=email_address eq 'ada@example.org'</code>. Dates are UTC.
      </p>
      <h2 id="webhooks">Webhooks</h2>
      <p>
        A group can have new confirmed signatures on its petitions and new sign-ups (people agreeing to hear from it) sent to an address
        of its own, as Action Network does: a POST whose JSON body is a list of <code>{'{"osdi:signature": {...}}'}</code> or{' '}
        <code>{'{"osdi:submission": {...}}'}</code> items. Answer with any 2xx status. Anything else (or no answer within 10 seconds) is
        tried again later, waiting longer each time, up to {MAX_DELIVERY_ATTEMPTS} attempts. The delivery log keeps {DELIVERY_RETENTION_DAYS}{' '}
        days.
      </p>
      <p>Every delivery is signed, so you can check it came from this hub and is not a replay:</p>
      <ul>
        <li>
          <code>X-Chorus-Timestamp</code>: when this attempt was sent (Unix seconds);
        </li>
        <li>
          <code>X-Chorus-Signature</code>: <code>sha256=</code> and the hex HMAC-SHA256, keyed with the webhook’s signing secret, of the
          timestamp, a full stop, and the raw body.
        </li>
      </ul>
      <p>
        Recompute it over the body exactly as received, compare in constant time, and refuse timestamps more than{' '}
        {REPLAY_TOLERANCE_SECONDS / 60} minutes from your clock. In Node.js:
      </p>
      <pre>
        <code>{verifyExample}</code>
      </pre>
      <p>
        <code>X-Chorus-Event</code> says what the delivery holds (<code>signature</code>, <code>signup</code> or <code>test</code>) and{' '}
        <code>X-Chorus-Delivery</code> identifies it (the same on every attempt, so you can ignore repeats).
      </p>
      <h2 id="errors">Errors</h2>
      <p>
        Errors come as <code>{'{"error": "..."}'}</code>, with <code>errors: [{'{"field", "message"}'}]</code> naming each bad field: 400
        for a request that cannot be read (bad JSON, a bad filter), 401 for a missing, wrong or revoked key, 403 for a read-only key
        writing, 404 for something the key cannot see, 409 for a closed petition, 422 for a bad field, 429 when over the rate limit.
      </p>
    </Layout>
  );
}

/** Human documentation for the API, where the `osdi:` curie points (/docs/v1/{rel}). */
export function registerApiDocs(app: FastifyInstance, ctx: AppContext) {
  app.get('/docs/v1', async (_request, reply) => reply.render(<DocsPage baseUrl={ctx.config.BASE_URL} />));
  app.get<{ Params: { rel: string } }>('/docs/v1/:rel', async (request, reply) => {
    const named = request.params.rel.replace(/^osdi:/, '');
    // One resource's relation (osdi:tag, osdi:person...) documents with its collection.
    const rel = SINGULAR[named] ?? named;
    if (!RELATIONS.includes(rel)) throw notFound('documentation page');
    return reply.redirect(`/docs/v1#${rel}`, 303);
  });
}
