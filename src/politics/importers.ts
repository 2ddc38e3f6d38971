import type { Importer } from '../platform/import-report.ts';

/** Importers for official UK data: filled in by the politics capability. */
export const politicsImporters: Record<string, Importer> = {};
