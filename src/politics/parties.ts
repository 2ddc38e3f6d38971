/**
 * Party abbreviations used by the House of Commons Library and Parliament, with their names.
 * An abbreviation not listed here is shown as it is.
 */
const partyNames: Record<string, string> = {
  Con: 'Conservative',
  Lab: 'Labour',
  LD: 'Liberal Democrat',
  RUK: 'Reform UK',
  Green: 'Green',
  SNP: 'Scottish National Party',
  PC: 'Plaid Cymru',
  DUP: 'Democratic Unionist Party',
  SF: 'Sinn Féin',
  SDLP: 'Social Democratic and Labour Party',
  UUP: 'Ulster Unionist Party',
  APNI: 'Alliance',
  TUV: 'Traditional Unionist Voice',
  Ind: 'Independent',
  Spk: 'Speaker',
  WPB: 'Workers Party of Britain',
  PBPA: 'People Before Profit',
  YP: 'Your Party',
  RB: 'Restore Britain',
  'All other candidates': 'All other candidates',
};

/** The column of other candidates' votes that went to a winning independent: part of "All other candidates". */
export const OTHER_WINNER_COLUMN = 'Of which other winner';

export function partyName(abbreviation: string | null | undefined): string | null {
  if (!abbreviation) return null;
  return partyNames[abbreviation] ?? abbreviation;
}
