import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { run, StepFailed } from './n8n-check/processes';

/**
 * `npm run lint:n8n`: n8n's own linter, `n8n-node lint` of @n8n/node-cli, on this package.
 * The CLI (~480 MB with its dependencies) is installed once into the cache beside the n8n
 * runtime rather than as a dev dependency; from then on it runs offline. With `n8n.strict`
 * false it runs this repository's `eslint .` (eslint.config.mjs composes node-cli's rules), so
 * it must stay as clean as `npm run lint`. Install flags as for the runtime: the lint plugin's
 * install script is refused here and some peers are missing (shared/reference/n8n).
 */

const VERSION = '0.48.3';
const root = join(__dirname, '..');

async function ensureNodeCli(): Promise<string> {
	const dir =
		process.env.N8N_NODE_CLI_CACHE ??
		join(homedir(), '.cache', 'n8n-nodes-dental-pipedrive', `node-cli-${VERSION}`);
	const bin = join(dir, 'node_modules', '.bin', 'n8n-node');
	if (existsSync(bin)) return bin;
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node-cli', private: true }));
	await run(
		'npm',
		[
			'install',
			'--ignore-scripts',
			'--legacy-peer-deps',
			'--no-audit',
			'--no-fund',
			`@n8n/node-cli@${VERSION}`,
		],
		{ cwd: dir },
	);
	return bin;
}

async function main(): Promise<number> {
	const bin = await ensureNodeCli();
	// Its output (eslint's findings) is the report; its exit code is the result.
	const result = spawnSync(bin, ['lint'], {
		cwd: root,
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, CI: 'true' },
	});
	return result.status ?? 1;
}

main().then(
	(code) => (process.exitCode = code),
	(error: Error) => {
		process.stderr.write(
			`lint:n8n failed: ${error instanceof StepFailed ? error.message : String(error.stack)}\n`,
		);
		process.exitCode = 1;
	},
);
