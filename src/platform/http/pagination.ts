/** The page number from a query string (?page=3); anything odd is page 1. */
export function pageFrom(query: unknown): number {
  const raw = (query as { page?: unknown } | undefined)?.page;
  const page = typeof raw === 'string' ? Number.parseInt(raw, 10) : 1;
  return Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}

/** How many pages `total` items fill at `perPage` a page: at least one, so an empty list has a page. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}
