import type { Role } from './capability.ts';
import type { Handle } from './db/view.ts';
import type { Viewer } from './web/context.ts';

/** One figure on the organiser dashboard, as the viewer may see it, with the page behind it. */
export interface DashboardFigure {
  value: number;
  /** What is counted, worded for the value: "signatures today", "petition awaiting moderation". */
  label: string;
  href: string;
}

/**
 * A figure a capability puts on the dashboard. `count` is scoped on the server to what the viewer
 * may see (a group organiser: their groups only); it runs only for `roles`.
 */
export interface DashboardFigureEntry {
  /** Lower first. */
  order: number;
  roles: readonly Role[];
  count(q: Handle, viewer: Viewer): Promise<DashboardFigure>;
}

let installed: readonly DashboardFigureEntry[] = [];

/** Installed once from the capability list (`src/capabilities.ts`), like the personal-data registry. */
export function installDashboardFigures(entries: readonly DashboardFigureEntry[]): void {
  installed = [...entries].sort((a, b) => a.order - b.order);
}

/** The figures the viewer's role has, each counted within what the viewer may see. */
export function countDashboardFigures(q: Handle, viewer: Viewer): Promise<DashboardFigure[]> {
  return Promise.all(installed.filter((e) => e.roles.includes(viewer.role)).map((e) => e.count(q, viewer)));
}

/** "1 signature" / "3 signatures": the label for a value. */
export function figureLabel(value: number, one: string, many: string): string {
  return value === 1 ? one : many;
}
