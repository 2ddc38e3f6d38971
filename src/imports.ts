import { capabilities } from './capabilities.ts';
import type { Importer } from './platform/import-report.ts';

/** `chorus import <kind> <file>`: every capability's importers by kind. */
export const importers: Record<string, Importer> = Object.assign({}, ...capabilities.map((c) => c.importers ?? {}));
