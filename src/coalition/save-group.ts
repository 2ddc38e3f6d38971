import { z } from 'zod';
import { DomainError, checkbox, invalidField, invalidFields, isUniqueViolation, optionalEmail, optionalText, optionalWebsite, recordAudit, requiredText, storeImage, type FieldProblem, type UploadedFile, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { findGroupById, slugify, type Group } from './groups.ts';

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugMessage = 'Enter the web address using only lowercase letters, numbers and single hyphens, like keep-our-nhs-public';

/** The group form as typed; a blank slug is made from the name. */
export const groupInputSchema = z.object({
  name: requiredText('the group’s name', 120),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .max(60, { message: 'The web address must be 60 characters or fewer' })
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || slugPattern.test(v), { message: slugMessage }),
  description: optionalText('the description', 5000),
  website: optionalWebsite(),
  contactEmail: optionalEmail(),
  removeLogo: checkbox(),
});

export type GroupInput = z.output<typeof groupInputSchema>;

/** What the audit log keeps about a group. */
export function groupSnapshot(group: Group) {
  return {
    name: group.name,
    slug: group.slug,
    description: group.description,
    website: group.website,
    contactEmail: group.contactEmail,
    logoUrl: group.logoUrl,
  };
}

const slugInUse = (slug: string) => `Another group already uses the web address “${slug}”: choose a different one`;

/** Two saves racing for one slug: the unique index refuses the second, named as a field error. */
function onSlugConflict(slug: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw invalidField('slug', slugInUse(slug));
    throw error;
  };
}

interface Checked {
  slug: string;
  logoMediaId: string | undefined;
}

/** The checks that need the database: the slug is free, the logo is an image. All problems at once. */
async function checkGroup(q: Q, input: GroupInput, logo: UploadedFile | undefined, groupId?: number): Promise<Checked> {
  const problems: FieldProblem[] = [];
  const slug = input.slug ?? slugify(input.name);
  if (!slug) {
    problems.push({ field: 'slug', message: 'Enter a web address for the group, using letters, numbers and hyphens' });
  } else {
    const taken = await q.selectFrom('groups').select('id').where('slug', '=', slug).executeTakeFirst();
    if (taken && taken.id !== groupId) problems.push({ field: 'slug', message: slugInUse(slug) });
  }
  let logoMediaId: string | undefined;
  if (logo) {
    try {
      logoMediaId = await storeImage(q, 'logo', logo);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw invalidFields(problems);
  return { slug, logoMediaId };
}

export interface CreateGroupProps {
  actor: Viewer;
  input: GroupInput;
  logo?: UploadedFile | undefined;
}

/** Adds a member group. A group organiser who creates one becomes its organiser. */
export async function createGroup(q: Q, props: CreateGroupProps): Promise<Group> {
  const { slug, logoMediaId } = await checkGroup(q, props.input, props.logo);
  const row = await q
    .insertInto('groups')
    .values({
      slug,
      name: props.input.name,
      description: props.input.description ?? '',
      website: props.input.website ?? null,
      contact_email: props.input.contactEmail ?? null,
      logo_media_id: logoMediaId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch(onSlugConflict(slug));
  if (props.actor.role === 'organiser') {
    await q.insertInto('organiser_groups').values({ organiser_id: props.actor.id, group_id: row.id }).execute();
  }
  const group = (await findGroupById(q, row.id))!;
  await recordAudit(q, { actor: props.actor, action: 'group.create', subjectType: 'group', subjectId: group.id, after: groupSnapshot(group) });
  return group;
}

export interface UpdateGroupProps {
  actor: Viewer;
  /** The group as it was, already checked as editable by this actor. */
  group: Group;
  input: GroupInput;
  logo?: UploadedFile | undefined;
}

/** Saves a group's details; a new logo replaces the old one, "remove" clears it. */
export async function updateGroup(q: Q, props: UpdateGroupProps): Promise<Group> {
  const before = props.group;
  const { slug, logoMediaId } = await checkGroup(q, props.input, props.logo, before.id);
  const logo = logoMediaId !== undefined ? { logo_media_id: logoMediaId } : props.input.removeLogo ? { logo_media_id: null } : {};
  await q
    .updateTable('groups')
    .set({
      slug,
      name: props.input.name,
      description: props.input.description ?? '',
      website: props.input.website ?? null,
      contact_email: props.input.contactEmail ?? null,
      updated_at: new Date(),
      ...logo,
    })
    .where('id', '=', before.id)
    .execute()
    .catch(onSlugConflict(slug));
  const after = (await findGroupById(q, before.id))!;
  await recordAudit(q, {
    actor: props.actor,
    action: 'group.update',
    subjectType: 'group',
    subjectId: before.id,
    before: groupSnapshot(before),
    after: groupSnapshot(after),
  });
  return after;
}
