import fs from 'node:fs';
import path from 'node:path';

/**
 * Capability boundaries (docs/architecture.md): code in one capability folder may reach another
 * capability only through that capability's `index.ts`; the whole-database type (`src/schema.ts`)
 * and the capability list (`src/capabilities.ts`) belong to the app, not to capabilities; and
 * `src/platform` imports no capability at all. A capability is a folder of `src/` with a
 * `capability.ts` manifest, so a new one is covered the moment it exists. Tests and test helpers
 * are app-level and may reach inside.
 */
const srcDir = path.resolve(import.meta.dirname, '..', 'src');
const appLevel = new Set(['schema.ts', 'capabilities.ts']);

function capabilityOf(file) {
  const relative = path.relative(srcDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [top, ...rest] = relative.split(path.sep);
  if (rest.length === 0) return { name: undefined, file: top };
  if (top === 'platform') return { name: 'platform', file: rest.join('/') };
  return fs.existsSync(path.join(srcDir, top, 'capability.ts')) ? { name: top, file: rest.join('/') } : undefined;
}

export const capabilityBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Reach another capability only through its index.ts; keep the whole database and the capability list at app level.' },
    messages: {
      internal: "'{{source}}' is inside the {{other}} capability: import what it exports from '{{other}}/index.ts' instead.",
      appLevel: "'{{source}}' is app-level: a capability sees its own tables and its own AppContext (its tables.ts).",
      platform: "platform must not depend on a capability ('{{source}}').",
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename;
    if (/\.test\.tsx?$/.test(filename) || /test-support\.tsx?$/.test(filename)) return {};
    const here = capabilityOf(filename);
    if (!here || here.name === undefined) return {};
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = capabilityOf(path.resolve(path.dirname(filename), source));
      if (!target) return;
      if (target.name === undefined) {
        if (appLevel.has(target.file)) context.report({ node, messageId: 'appLevel', data: { source } });
        return;
      }
      if (here.name === 'platform') {
        if (target.name !== 'platform') context.report({ node, messageId: 'platform', data: { source } });
        return;
      }
      if (target.name === 'platform' || target.name === here.name) return;
      if (target.file !== 'index.ts') context.report({ node, messageId: 'internal', data: { source, other: target.name } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
