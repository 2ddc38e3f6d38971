import { confirmedUnlinkedSignatures, linkSignatureToPerson, type SignerToLink } from '../petitions/index.ts';
import type { Db, Q } from './tables.ts';
import { giveConsent, purposeFor, wordingFor, type Purpose } from './consent.ts';
import { connectToGroups, recordAction, splitName, upsertPerson } from './people.ts';

const BATCH = 500;

/** Where this signer came from, as the timeline shows it (only what is known). */
function cameFrom({ arrival }: SignerToLink): Record<string, string> | undefined {
  const known = Object.entries({ utm_source: arrival.utmSource, utm_medium: arrival.utmMedium, utm_campaign: arrival.utmCampaign, referrer: arrival.referrer }).filter(
    (entry): entry is [string, string] => entry[1] !== null,
  );
  return known.length > 0 ? Object.fromEntries(known) : undefined;
}

/**
 * Turns one confirmed signature into (part of) a person: the person with its email (verified
 * by the confirmation link), a 'petition.signed' entry on their timeline, a connection to the
 * petition's groups and, when "hear more" was ticked, consent given for the coalition's and
 * each group's updates with the exact words beside the box.
 */
async function linkSigner(q: Q, signer: SignerToLink, purposes: (groupId: number | null) => Promise<Purpose>): Promise<void> {
  const name = splitName(signer.name);
  const method = `petition:${signer.petitionId}`;
  const person = await upsertPerson(
    q,
    {
      email: signer.email,
      givenName: name.givenName || null,
      familyName: name.familyName,
      postcode: signer.postcode,
      constituencyCode: signer.constituencyCode,
      regionCode: signer.regionCode,
      countryCode: signer.countryCode,
      emailVerified: true,
      source: { method, utmSource: signer.arrival.utmSource, utmCampaign: signer.arrival.utmCampaign, referrer: signer.arrival.referrer },
    },
    signer.signedAt,
  );
  await linkSignatureToPerson(q, signer.petitionId, signer.signatureId, person.id);
  await recordAction(q, person.id, {
    kind: 'petition.signed',
    subjectType: 'petition',
    subjectId: signer.petitionId,
    occurredAt: signer.signedAt,
    detail: { petition: signer.petitionAction, signature: signer.publicId, groupIds: signer.groupIds, cameFrom: cameFrom(signer) },
  });
  await connectToGroups(q, person.id, signer.groupIds, signer.signedAt);
  if (!signer.hearMore || !signer.consentWording) return;
  for (const groupId of [null, ...signer.groupIds]) {
    const purpose = await purposes(groupId);
    const wording = await wordingFor(q, purpose.id, signer.consentWording);
    await giveConsent(q, {
      personId: person.id,
      purposeId: purpose.id,
      wordingId: wording.id,
      method,
      source: `signature:${signer.publicId}`,
      ip: signer.ip,
      at: signer.confirmedAt,
    });
  }
}

/** Links one batch of confirmed signatures in one transaction; returns how many. */
export async function linkSignatureBatch(db: Db, limit = BATCH): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const signers = await confirmedUnlinkedSignatures(tx, limit);
    const cache = new Map<number | null, Purpose>();
    const purposes = async (groupId: number | null) => {
      let purpose = cache.get(groupId);
      if (!purpose) cache.set(groupId, (purpose = await purposeFor(tx, { groupId })));
      return purpose;
    };
    for (const signer of signers) await linkSigner(tx, signer, purposes);
    return signers.length;
  });
}

/** Links every confirmed signature waiting (up to `maxBatches` batches per call). */
export async function linkConfirmedSignatures(db: Db, maxBatches = 20): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await linkSignatureBatch(db);
    total += n;
    if (n < BATCH) break;
  }
  return total;
}
