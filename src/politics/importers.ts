import type { Importer } from '../platform/index.ts';
import { hexJsonImporter } from './import-hexjson.ts';
import { mpsImporter } from './import-mps.ts';
import { nhsOrganisationsImporter } from './import-nhs-organisations.ts';
import { onspdImporter } from './import-onspd.ts';
import { resultsImporter } from './import-results.ts';

/** `chorus import <kind> <file>` for official UK reference data (see the README, "UK reference data"). */
export const politicsImporters: Record<string, Importer> = {
  onspd: onspdImporter,
  results: resultsImporter,
  mps: mpsImporter,
  hexjson: hexJsonImporter,
  'nhs-organisations': nhsOrganisationsImporter,
};
