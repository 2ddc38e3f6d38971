/** An existing signature with the same canonical email on the same petition. */
export interface ExistingSigner {
  name: string | null;
  postcode: string | null;
  householdSlot: number;
}

export type DuplicateDecision =
  /** The same person again: resend their confirmation rather than count twice. */
  | { kind: 'same-signer'; slot: number }
  /** Another person of the same household (different name, same postcode): may sign once. */
  | { kind: 'household'; slot: 2 }
  /** Two people have already signed with this address. */
  | { kind: 'limit-reached' };

function sameName(a: string | null, b: string): boolean {
  return (a ?? '').trim().toLowerCase().replace(/\s+/g, ' ') === b.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The duplicate rule, as on the UK Parliament petitions site: one signature per canonical
 * email, except that a second person of the same household (a different name at the same
 * postcode) may sign too, and never more than two.
 */
export function decideDuplicate(existing: ExistingSigner[], name: string, postcode: string | null): DuplicateDecision {
  const same = existing.find((e) => sameName(e.name, name));
  if (same) return { kind: 'same-signer', slot: same.householdSlot };
  if (existing.length >= 2) return { kind: 'limit-reached' };
  const first = existing[0];
  if (first && postcode !== null && first.postcode === postcode) return { kind: 'household', slot: 2 };
  // A different name with a different postcode on the same address: treat as the same signer.
  return { kind: 'same-signer', slot: first?.householdSlot ?? 1 };
}
