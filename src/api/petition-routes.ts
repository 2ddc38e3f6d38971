import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from './tables.ts';
import { notFound } from '../platform/index.ts';
import { sendHal, single } from './osdi/hal.ts';
import { findCurrentSignature, findPetitionInScope, listPetitionsPage, listSignaturesPage } from '../petitions/index.ts';
import { petitionHref, presentPetition } from './osdi/petitions.ts';
import { clientOf, idParam, jsonBodyOnly, parseBody, requireWrite, sendPage, uuidParam } from './osdi/requests.ts';
import { presentSignatures, signatureHref } from './osdi/signatures.ts';
import { recordSignature, recordSignatureSchema } from './record-signature.ts';

/** Petitions, their signatures, and the record signature helper. */
export function registerPetitionApiRoutes(api: FastifyInstance, ctx: AppContext) {
  const base = ctx.config.BASE_URL;

  const petitionOf = async (request: FastifyRequest) => {
    const petition = await findPetitionInScope(ctx.db, clientOf(request), idParam(request, 'id', 'petition'));
    if (!petition) throw notFound('petition');
    return petition;
  };

  api.get('/petitions', async (request, reply) => {
    const client = clientOf(request);
    return sendPage(request, reply, {
      baseUrl: base,
      url: `${base}/api/v1/petitions`,
      rel: 'osdi:petitions',
      load: async (filter, page) => {
        const { petitions, total } = await listPetitionsPage(ctx.db, { scope: client, filter, ...page });
        return { items: petitions.map((p) => presentPetition(base, p)), total };
      },
    });
  });

  api.get('/petitions/:id', async (request, reply) => sendHal(reply, single(base, presentPetition(base, await petitionOf(request)))));

  api.get('/petitions/:id/signatures', async (request, reply) => {
    const petition = await petitionOf(request);
    return sendPage(request, reply, {
      baseUrl: base,
      url: `${petitionHref(base, petition.id)}/signatures`,
      rel: 'osdi:signatures',
      load: async (filter, page) => {
        const { rows, total } = await listSignaturesPage(ctx.db, { petitionId: petition.id, filter, ...page });
        return { items: await presentSignatures(ctx.db, base, rows), total };
      },
    });
  });

  api.get('/petitions/:id/signatures/:signature', async (request, reply) => {
    const petition = await petitionOf(request);
    const row = await findCurrentSignature(ctx.db, petition.id, { publicId: uuidParam(request, 'signature', 'signature') });
    if (!row) throw notFound('signature');
    const [signature] = await presentSignatures(ctx.db, base, [row]);
    return sendHal(reply, single(base, signature!));
  });

  // The record signature helper.
  api.post('/petitions/:id/signatures', { config: { csrf: 'none' }, onRequest: jsonBodyOnly, preHandler: requireWrite }, async (request, reply) => {
    const petition = await petitionOf(request);
    const body = parseBody(recordSignatureSchema, request.body);
    const recorded = await recordSignature(ctx, petition, body, clientOf(request));
    const row = await findCurrentSignature(ctx.db, petition.id, recorded.kind === 'created' ? { publicId: recorded.publicId } : { canonicalEmail: recorded.canonicalEmail });
    if (!row) throw notFound('signature');
    const [signature] = await presentSignatures(ctx.db, base, [row]);
    reply.header('location', signatureHref(base, petition.id, row.public_id));
    return sendHal(reply, single(base, signature!), recorded.kind === 'created' ? 201 : 200);
  });
}
