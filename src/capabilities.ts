import { api } from './api/capability.ts';
import { coalition } from './coalition/capability.ts';
import { events } from './events/capability.ts';
import type { Capability } from './platform/capability.ts';
import { installAuditWords } from './platform/audit-words.ts';
import { installDashboardFigures } from './platform/dashboard-figures.ts';
import { installHearsFrom } from './platform/hears-from.ts';
import { installAccessRemovalListeners } from './platform/organiser-access.ts';
import { installPersonalData } from './platform/personal-data.ts';
import { installPersonActivity } from './platform/person-activity.ts';
import { installPageSections } from './platform/web/page-sections.ts';
import { library } from './library/capability.ts';
import { petitions } from './petitions/capability.ts';
import { politics } from './politics/capability.ts';
import { stories } from './stories/capability.ts';
import { supporters } from './supporters/capability.ts';

/**
 * Every capability, each registered through its manifest (`<capability>/capability.ts`). The app,
 * the CLI, the worker, migrations, the demo and the personal-data registry read this list; adding
 * a capability is its folder and one line here. A capability comes after those it depends on.
 */
export const capabilities: readonly Capability[] = [coalition, politics, petitions, supporters, api, events, stories, library];

installPersonalData(capabilities.flatMap((c) => c.personalData ?? []));
installPageSections(capabilities.flatMap((c) => c.pageSections ?? []));
installAccessRemovalListeners(capabilities.flatMap((c) => (c.onAccessRemoved ? [c.onAccessRemoved] : [])));
installDashboardFigures(capabilities.flatMap((c) => c.dashboardFigures ?? []));
installAuditWords(capabilities.flatMap((c) => (c.auditWords ? [c.auditWords] : [])));
installHearsFrom(capabilities.flatMap((c) => (c.hearsFrom ? [c.hearsFrom] : [])));
installPersonActivity(capabilities.flatMap((c) => (c.personActivity ? [c.personActivity] : [])));
