import { findPetition } from '../petitions/index.ts';
import type { DemoFacts } from '../platform/capability.ts';
import type { Tx } from './tables.ts';
import type { SegmentDefinition } from './segments/definition.ts';

/**
 * The supporters' demo: saved segments to mail. The people themselves come from the petition
 * demo's signatures, linked by the worker's `supporters.signatures.link` job; a third of those
 * signers ticked "hear more" (with words saying it is demo data), so they have live consent to
 * the coalition's and the petition's groups' updates, and a mailing to these segments reaches them.
 */
export async function loadSupporterDemo(tx: Tx, facts: DemoFacts): Promise<{ segmentIds: number[] }> {
  const petitionIds = (facts.petitions as { petitionIds?: number[] } | undefined)?.petitionIds ?? [];
  const segments: Array<{ name: string; group_id: number | null; definition: SegmentDefinition }> = [
    { name: 'Everyone who signed a petition', group_id: null, definition: { version: 1, match: 'all', conditions: [{ kind: 'action', action: 'petition.signed', not: false }] } },
  ];
  const first = petitionIds[0] === undefined ? undefined : await findPetition(tx, petitionIds[0]);
  const owner = first?.groups[0];
  if (first && owner) {
    segments.push({
      name: `Signed “${first.action}”`,
      group_id: owner.id,
      definition: { version: 1, match: 'all', conditions: [{ kind: 'action', action: 'petition.signed', subjectId: String(first.id), not: false }] },
    });
  }
  const rows = await tx
    .insertInto('segments')
    .values(segments.map((s) => ({ name: s.name, group_id: s.group_id, definition: JSON.stringify(s.definition), created_by: null })))
    .returning('id')
    .execute();
  return { segmentIds: rows.map((r) => r.id) };
}
