import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, samplePlanFiles } from './support/samplePlans';

/**
 * Golden plans of the bundled samples. A rule change shows up here as a readable diff of one
 * pretty-printed plan per patient. Regenerate only on purpose, then review the diff:
 *   UPDATE_GOLDEN=1 npx jest test/mapping/golden
 */
const GOLDEN = join(repositoryRoot, 'test', 'fixtures', 'mapping', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe.each(['dental-exec', 'dentadmin'] as const)(
	'golden plans of the bundled %s sample',
	(source) => {
		const folder = join(GOLDEN, source);

		test('match the committed plans, file by file', async () => {
			const files = await samplePlanFiles(source);
			if (update) {
				rmSync(folder, { recursive: true, force: true });
				mkdirSync(folder, { recursive: true });
				for (const [name, text] of files) writeFileSync(join(folder, name), text);
			}
			expect(readdirSync(folder).sort()).toEqual([...files.keys()].sort());
			for (const [name, text] of files)
				expect(`${name}\n${text}`).toBe(`${name}\n${readFileSync(join(folder, name), 'utf8')}`);
		});

		test('are byte-identical across two runs and across Node processes', async () => {
			const first = await samplePlanFiles(source);
			const second = await samplePlanFiles(source);
			const inProcess = [...first].map(([name, text]) => `${name}\n${text}`).join('');
			expect([...second].map(([name, text]) => `${name}\n${text}`).join('')).toBe(inProcess);
			const child = execFileSync(
				join(repositoryRoot, 'node_modules', '.bin', 'tsx'),
				[join(__dirname, 'support', 'printSamplePlans.ts'), source],
				{
					cwd: repositoryRoot,
					maxBuffer: 256 * 1024 * 1024,
					env: { ...process.env, TZ: 'Pacific/Auckland', LANG: 'fr_BE.UTF-8' },
				},
			).toString('utf8');
			expect(child).toBe(inProcess);
		});
	},
);
