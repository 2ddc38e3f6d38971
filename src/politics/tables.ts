/** Tables owned by the politics capability (postcodes, constituencies, results, MPs, hexes). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PoliticsTables {}
