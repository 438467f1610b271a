import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AccountState } from './account';

/**
 * Keeps a sandbox across restarts for a consultant's dry run: the whole account (records, fields,
 * users and their sandbox tokens, file contents) as JSON. Written atomically on close.
 */
const VERSION = 1;

export function loadState(path: string): AccountState | undefined {
	if (!existsSync(path)) return undefined;
	const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
		version?: number;
		state?: AccountState;
	};
	if (parsed.version !== VERSION || !parsed.state) {
		throw new Error(
			`sandbox state file ${path} is not a version ${VERSION} sandbox state; move it away to start fresh`,
		);
	}
	return parsed.state;
}

export function saveState(path: string, state: AccountState): void {
	const tmp = `${path}.tmp`;
	writeFileSync(tmp, JSON.stringify({ version: VERSION, state }));
	renameSync(tmp, path);
}
