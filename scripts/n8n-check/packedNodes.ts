import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run, trailingJson } from './processes';

const root = join(__dirname, '..', '..');

/**
 * Builds and packs this package (`npm run build`, `npm pack` into `work`) and installs the
 * tarball into `nodesDir` the way n8n installs a community package, so the checks run what a user
 * installs, not the working tree. One home for the checks that start a real n8n.
 */
export async function installPackedNodes(work: string, nodesDir: string): Promise<void> {
	await run('npm', ['run', 'build'], { cwd: root });
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
		cwd: root,
	});
	const tarball = join(work, (trailingJson(stdout) as Array<{ filename: string }>)[0].filename);
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }),
	);
	await run(
		'npm',
		['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
		{ cwd: nodesDir },
	);
}
