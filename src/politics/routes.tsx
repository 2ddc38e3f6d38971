import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { constituencySections, notFound, parseOrThrow, parseParams } from '../platform/index.ts';
import { getConstituency, listConstituencies } from './constituencies.ts';
import { constituencyJson, constituencyPageJson, postcodeJson, publicJsonHeaders } from './constituency-json.ts';
import { ConstituenciesPage, ConstituencyDetailPage } from './constituency-views.tsx';
import { isPoliticsDemo } from './demo-label.ts';
import { findConstituencyByPostcode, postcodeProblemStatus } from './find-constituency.ts';
import { GSS_CODE } from './import-file.ts';

/** An empty query parameter (a form field left blank) counts as not given. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const listQuery = z.object({
  q: optional(z.string({ message: 'Search must be text' }).trim().max(100, { message: 'Search must be 100 characters or fewer' })),
  sort: optional(z.enum(['name', 'marginality'], { message: 'Sort must be name or marginality' })).transform((v) => v ?? 'name'),
  page: optional(
    z.coerce
      .number({ message: 'Page must be a whole number from 1' })
      .int({ message: 'Page must be a whole number from 1' })
      .min(1, { message: 'Page must be a whole number from 1' })
      .max(100_000, { message: 'Page must be 100000 or less' }),
  ).transform((v) => v ?? 1),
  limit: optional(
    z.coerce
      .number({ message: 'Limit must be a whole number from 1 to 650' })
      .int({ message: 'Limit must be a whole number from 1 to 650' })
      .min(1, { message: 'Limit must be a whole number from 1 to 650' })
      .max(650, { message: 'Limit must be a whole number from 1 to 650' }),
  ).transform((v) => v ?? 50),
  postcode: z.string({ message: 'Enter one postcode' }).optional(),
});

const PER_PAGE = 50;

function publicJson(reply: FastifyReply): FastifyReply {
  return reply.headers(publicJsonHeaders).type('application/json; charset=utf-8');
}

/** "E14001279.json" → { code: "E14001279", json: true }. */
function splitFormat(param: string): { key: string; json: boolean } {
  return param.toLowerCase().endsWith('.json') ? { key: param.slice(0, -5), json: true } : { key: param, json: false };
}

/** Constituency pages and the postcode lookup, as HTML and as public JSON. */
/** A GSS code or a postcode, each with an optional `.json`: their pages look them up (and answer 404 themselves). */
const constituencyParams = z.object({ code: z.string() });
const postcodeParams = z.object({ postcode: z.string() });

export function registerPoliticsRoutes(app: FastifyInstance, ctx: AppContext) {
  const baseUrl = ctx.config.BASE_URL.replace(/\/+$/, '');

  app.get('/constituencies', async (request, reply) => {
    const query = parseOrThrow(listQuery, request.query);
    const list = () => listConstituencies(ctx.db, { page: query.page, perPage: PER_PAGE, sort: query.sort, search: query.q });
    const shown = { q: query.q, sort: query.sort, page: query.page };
    const demo = await isPoliticsDemo(ctx.db);
    if (query.postcode === undefined) return reply.render(<ConstituenciesPage list={await list()} query={shown} demo={demo} />);

    const outcome = await findConstituencyByPostcode(ctx.db, query.postcode);
    if (outcome.found) return reply.redirect(`/constituencies/${outcome.constituencyCode}`, 303);
    return reply.render(
      <ConstituenciesPage list={await list()} query={shown} demo={demo} postcode={query.postcode} errors={{ postcode: outcome.message }} />,
      postcodeProblemStatus[outcome.problem],
    );
  });

  app.get('/constituencies.json', async (request, reply) => {
    const query = parseOrThrow(listQuery, request.query);
    const page = await listConstituencies(ctx.db, { page: query.page, perPage: query.limit, sort: query.sort, search: query.q });
    return publicJson(reply).send(constituencyPageJson(page, baseUrl, { sort: query.sort, search: query.q }));
  });

  app.get('/constituencies/:code', async (request, reply) => {
    const { key, json } = splitFormat(parseParams(constituencyParams, request.params, 'constituency').code);
    const code = key.toUpperCase();
    const constituency = GSS_CODE.test(code) ? await getConstituency(ctx.db, code) : undefined;
    if (json) {
      if (!constituency) return publicJson(reply).code(404).send({ error: 'not_found', message: `There is no constituency with the code ${key.slice(0, 20)}.` });
      return publicJson(reply).send(constituencyJson(constituency, baseUrl));
    }
    if (!constituency) throw notFound('constituency');
    if (key !== constituency.code) return reply.redirect(`/constituencies/${constituency.code}`, 301);
    const sections = await constituencySections({ db: ctx.db, brand: await ctx.brand.get() }, { code: constituency.code, name: constituency.name });
    return reply.render(<ConstituencyDetailPage constituency={constituency} demo={await isPoliticsDemo(ctx.db)} sections={sections} />);
  });

  app.get('/postcodes/:postcode', async (request, reply) => {
    const { key, json } = splitFormat(parseParams(postcodeParams, request.params).postcode);
    if (!json) throw notFound('page');
    const outcome = await findConstituencyByPostcode(ctx.db, key);
    if (outcome.found) return publicJson(reply).send(postcodeJson(outcome.place, baseUrl));
    // A real, current postcode whose constituency the directory does not give is still found.
    if (outcome.place) return publicJson(reply).send(postcodeJson(outcome.place, baseUrl));
    const status = postcodeProblemStatus[outcome.problem];
    return publicJson(reply)
      .code(status)
      .send({ error: status === 404 ? 'not_found' : 'invalid', status: outcome.problem, postcode: outcome.postcode, message: outcome.message });
  });
}
