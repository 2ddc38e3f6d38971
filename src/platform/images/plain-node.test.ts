import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The CLI, the worker and spawned processes run the sources under plain Node with tsx's loader
 * (bin/chorus.js), not under the test runner: the wasm codecs and fonts must load there too.
 */
const script = `
import { encodePng, preparePhoto, renderShareCard } from './src/platform/index.ts';
const png = encodePng(2400, 1200, (x) => (x < 1200 ? [200, 30, 30] : [30, 30, 200]));
const started = performance.now();
const prepared = await preparePhoto(png);
const photoMs = performance.now() - started;
const card = await renderShareCard({ title: 'Dŵr 🏥 café', figure: '1,234', brand: { primaryColour: '#005eb8', accentColour: '#ffb81c' } });
console.log(JSON.stringify({ photo: [prepared.photo.width, prepared.photo.height], thumbnail: prepared.thumbnail.width, card: card.png.subarray(1, 4).toString(), size: [card.png.readUInt32BE(16), card.png.readUInt32BE(20)], photoMs }));
`;

describe('the image mechanisms under plain Node', () => {
  it('prepare a photo and draw a card in a process started as the CLI starts', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      cwd: projectDir,
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { photo: number[]; thumbnail: number; card: string; size: number[] };
    expect(result).toMatchObject({ photo: [1600, 800], thumbnail: 400, card: 'PNG', size: [1200, 630] });
  });
});
