import type { Importer } from './platform/import-report.ts';
import { politicsImporters } from './politics/importers.ts';
import { peopleImporter } from './supporters/segments/import-cli.ts';

/** `chorus import <kind> <file>`: every capability's importers by kind. */
export const importers: Record<string, Importer> = { ...politicsImporters, people: peopleImporter };
