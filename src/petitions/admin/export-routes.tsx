import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../tables.ts';
import { conflict, pageCount, pageFrom, requireRole } from '../../platform/index.ts';
import { confirmedSigners, constituencyCountsCsv, exportFileName, recordExport, signerNamesCsv } from '../export-signatures.ts';
import { listSigners, recordSignersSeen, signerScopeFor, signersCsv, signersFileName } from '../list-signers.ts';
import { petitionFor, type PetitionPower } from '../petition-access.ts';
import type { Petition } from '../store.ts';
import { SIGNED_STATES } from '../transitions.ts';
import { ExportsPage, printableNamesStream } from './exports-page.tsx';
import { SignersListPage } from './signers-page.tsx';
import { petitionIdOf, viewerOf } from './admin-request.ts';

const SIGNERS_PER_PAGE = 50;

/**
 * Downloads for a hand-in: names with constituency (CSV or printable), counts by constituency;
 * and the signers the viewer may see (list-signers.ts), on a page and as CSV. Every one is audited.
 */
export function registerExportRoutes(app: FastifyInstance, ctx: AppContext) {
  const makers = { preHandler: requireRole('admin', 'organiser') };

  async function exportable(request: FastifyRequest, power: PetitionPower = 'export'): Promise<Petition> {
    const petition = await petitionFor(ctx.db, viewerOf(request), petitionIdOf(request), power);
    if (!SIGNED_STATES.includes(petition.state)) throw conflict('This petition has not opened, so it has no signatures yet.');
    return petition;
  }

  function csvReply(reply: FastifyReply, fileName: string) {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store');
  }

  app.get('/admin/petitions/:id/exports', makers, async (request, reply) => reply.render(<ExportsPage petition={await exportable(request)} />));

  app.get('/admin/petitions/:id/exports/names.csv', makers, async (request, reply) => {
    const petition = await exportable(request);
    await recordExport(ctx.db, viewerOf(request), petition.id, 'names-csv');
    return csvReply(reply, exportFileName(petition.id, petition.slug, 'names')).send(signerNamesCsv(ctx.db, petition.id));
  });

  app.get('/admin/petitions/:id/exports/constituencies.csv', makers, async (request, reply) => {
    const petition = await exportable(request);
    await recordExport(ctx.db, viewerOf(request), petition.id, 'constituency-counts-csv');
    return csvReply(reply, exportFileName(petition.id, petition.slug, 'constituencies')).send(constituencyCountsCsv(ctx.db, petition.id));
  });

  app.get('/admin/petitions/:id/signers', makers, async (request, reply) => {
    const viewer = viewerOf(request);
    const petition = await exportable(request, 'signers');
    const scope = await signerScopeFor(ctx.db, viewer, petition);
    const page = pageFrom(request.query);
    const result = await listSigners(ctx.db, petition.id, scope, { page, perPage: SIGNERS_PER_PAGE });
    await recordSignersSeen(ctx.db, viewer, petition.id, 'view', scope);
    return reply.header('cache-control', 'no-store').render(<SignersListPage petition={petition} scope={scope} result={result} page={page} totalPages={pageCount(result.shown, SIGNERS_PER_PAGE)} />);
  });

  app.get('/admin/petitions/:id/signers.csv', makers, async (request, reply) => {
    const viewer = viewerOf(request);
    const petition = await exportable(request, 'signers');
    const scope = await signerScopeFor(ctx.db, viewer, petition);
    await recordSignersSeen(ctx.db, viewer, petition.id, 'export', scope);
    return csvReply(reply, signersFileName(petition.id, petition.slug)).send(signersCsv(ctx.db, petition.id, scope));
  });

  app.get('/admin/petitions/:id/exports/print', makers, async (request, reply) => {
    const petition = await exportable(request);
    await recordExport(ctx.db, viewerOf(request), petition.id, 'names-print');
    const html = printableNamesStream(petition, request.pageContext(reply), confirmedSigners(ctx.db, petition.id));
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
}
