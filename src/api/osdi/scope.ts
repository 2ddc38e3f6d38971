/** Whose data an API key sees: one group's, or (null) the whole coalition's. */
export interface ApiScope {
  groupId: number | null;
}
