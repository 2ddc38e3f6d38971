/**
 * What the coalition capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { groupManagerRoles } from './group-access.ts';
export { assertGroupsExist, findGroupById, findGroupBySlug, findGroupsByIds, groupIdsFor, groupNamesOf, listGroups, slugify, type Group } from './groups.ts';
export { type Role } from './tables.ts';
