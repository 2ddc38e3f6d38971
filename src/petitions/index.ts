/**
 * What the petitions capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { canonicalEmail } from './canonical-email.ts';
export { UK, isCountryCode } from './countries.ts';
export { findPetitionInScope, listPetitionsPage } from './petition-pages.ts';
export { signPetition } from './sign-petition.ts';
export { findCurrentSignature, listSignaturesPage, signaturesConfirmedAfter, type ConfirmedCursor, type SignatureRow } from './signature-pages.ts';
export { confirmedUnlinkedSignatures, eraseSignaturesAfterClosing, hasSignaturesCondition, linkSignatureToPerson, moveSignatures, signatureCountOfPerson, type SignerToLink } from './signers.ts';
export { findPetition, type Petition } from './store.ts';
export type { SignatureReferrer } from './tables.ts';
export { countsByConstituency as signatureCountsByConstituency, signaturesInConstituency, type ConstituencySignatureCounts, type PetitionSignaturesInSeat } from './counts-by-constituency.ts';
