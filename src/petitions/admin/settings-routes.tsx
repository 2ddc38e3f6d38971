import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertGroupsExist, listGroups } from '../../coalition/index.ts';
import { checkbox, parseForm, requireRole } from '../../platform/index.ts';
import { readPetitionRules, savePetitionRules } from '../petition-rules.ts';
import type { AppContext } from '../tables.ts';
import { fieldErrorsOf, viewerOf } from './admin-request.ts';
import { PetitionSettingsPage } from './settings-page.tsx';

const settingsForm = z.object({
  admins_approve_own: checkbox(),
  all_signers_groups: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((ids) => ids.every((id) => /^\d{1,9}$/.test(id)), { message: 'Choose groups from the list' })
    .transform((ids) => ids.map(Number)),
});

/** The coalition's petition settings, for admins. */
export function registerPetitionSettingsRoutes(app: FastifyInstance, ctx: AppContext) {
  const admins = { preHandler: requireRole('admin') };

  app.get('/admin/petitions/settings', admins, async (request, reply) => {
    const [rules, groups] = await Promise.all([readPetitionRules(ctx.db), listGroups(ctx.db)]);
    return reply.render(<PetitionSettingsPage rules={rules} groups={groups} saved={reply.takeNotice() === 'saved'} />);
  });

  app.post('/admin/petitions/settings', admins, async (request, reply) => {
    const form = parseForm(settingsForm, request.body);
    const groups = await listGroups(ctx.db);
    if (!form.ok) return reply.render(<PetitionSettingsPage rules={await readPetitionRules(ctx.db)} groups={groups} errors={form.errors} />, 422);
    const rules = { adminsApproveOwn: form.value.admins_approve_own, allSignersGroupIds: form.value.all_signers_groups };
    try {
      await ctx.db.transaction().execute(async (tx) => {
        await assertGroupsExist(tx, 'all_signers_groups', rules.allSignersGroupIds);
        await savePetitionRules(tx, viewerOf(request), rules);
      });
    } catch (error) {
      return reply.render(<PetitionSettingsPage rules={rules} groups={groups} errors={fieldErrorsOf(error)} />, 422);
    }
    return reply.redirectWithNotice('/admin/petitions/settings', 'saved');
  });
}
