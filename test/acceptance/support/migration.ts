import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runWorkflow } from '../../../runner/engine';
import { startSandbox, type RunningSandbox, type SandboxSnapshot } from '../../../sandbox';

/**
 * A full migration of a bundled export into a fresh in-process sandbox, as a consultant runs it
 * (and as scripts/demo.ts does): step 2 provisions the account, step 5 migrates everything with
 * the unattended confirm switch standing in for the review in step 3.
 */

const root = join(__dirname, '..', '..', '..');
/** Premium's burst (100 requests / 2 s), the demo's plan: the limits still apply. */
export const PLAN = 'premium';
export const FALLBACK_OWNER_EMAIL = 'admin@sandbox.test';

export interface SandboxUser {
	name: string;
	email: string;
}

/**
 * The practice's Pipedrive users: its active providers, one per mailbox, except the first, so one
 * active provider has no account (as in scripts/demo.ts); inactive providers have none either.
 */
export function practiceUsers(
	providers: Array<{ name: string; email: string; active: boolean }>,
): SandboxUser[] {
	const seen = new Set<string>();
	const users: SandboxUser[] = [];
	for (const provider of providers) {
		const email = provider.email.toLowerCase();
		if (!provider.active || email === '' || seen.has(email)) continue;
		seen.add(email);
		users.push({ name: provider.name, email });
	}
	return users.slice(1);
}

export interface MatchUsersOutput {
	matched: Array<{ providerKey: string; userId: number; email: string }>;
	unmatched: Array<{ providerKey: string; name: string; reason: string; ownerId: number }>;
}

export interface MigrationResult {
	snapshot: SandboxSnapshot;
	/** Match Users as step 5 ran it: who is listed for review. */
	matchUsers: MatchUsersOutput;
	/** Every record the migration writes is at or after this instant (no original time in the export). */
	startedAt: Date;
}

/**
 * Runs the source's templates as a consultant does, against the sandbox; a failed run throws.
 * `settings` overrides Migration settings for one run.
 */
export function templateRunner(
	sandbox: RunningSandbox,
	source: 'dental-exec' | 'dentadmin',
	exportDir: string,
	work: string,
): (
	step: string,
	settings?: Record<string, unknown>,
) => Promise<Awaited<ReturnType<typeof runWorkflow>>> {
	const credentials = {
		pipedriveMigrationApi: {
			baseUrl: sandbox.baseUrl,
			apiToken: sandbox.apiToken,
			plan: PLAN,
			seats: 3,
		},
	};
	const settings = {
		exportDir,
		journalDir: join(work, 'journal'),
		fallbackOwnerEmail: FALLBACK_OWNER_EMAIL,
		confirmUnattended: true,
	};
	return async (step, overrides = {}) => {
		const result = await runWorkflow(join(root, 'workflows', source, `${step}.json`), {
			credentials,
			settings: { ...settings, ...overrides },
		});
		if (result.status !== 'success') {
			throw new Error(`${step} failed in node "${result.error?.node}": ${result.error?.message}`);
		}
		return result;
	};
}

export async function migrate(
	source: 'dental-exec' | 'dentadmin',
	exportDir: string,
	users: SandboxUser[],
): Promise<MigrationResult> {
	const sandbox = await startSandbox({ plan: PLAN, seats: 3, users });
	const work = mkdtempSync(join(tmpdir(), `acceptance-${source}-`));
	try {
		const run = templateRunner(sandbox, source, exportDir, work);
		const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
		await run('2-provision-pipedrive');
		const full = await run('5-full-migration');
		return {
			snapshot: sandbox.admin.snapshot({ live: true }),
			matchUsers: full.output('Match Users')[0] as unknown as MatchUsersOutput,
			startedAt,
		};
	} finally {
		await sandbox.close();
		rmSync(work, { recursive: true, force: true });
	}
}
