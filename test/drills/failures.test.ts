import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { commitPlans } from '../../lib/ledger/commit';
import { FileJournalStore, JOURNAL_FILE_NAME } from '../../lib/ledger/store/fileJournalStore';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { drillClient } from './support/client';
import { dentalExecExport } from './support/exports';
import { plannedMigration, type FullMigration } from './support/fullMigration';
import { landedAgainstExport } from './support/landed';
import { stoppingProxy } from './support/stoppingProxy';

/**
 * The server stopping mid-run (issue 18 item 3): the commit of the full migration through a
 * proxy that goes away after 60 writes, the last one applied without an answer.
 */
jest.setTimeout(120_000);

let exportDir: string;
let work: string;
let sandbox: RunningSandbox;
let migration: FullMigration;
beforeAll(async () => {
	exportDir = dentalExecExport();
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-failures-'));
	sandbox = await startSandbox({ plan: 'premium', seats: 3, burstLimit: 1000, seed: 18 });
	migration = await plannedMigration(
		drillClient(sandbox.baseUrl, sandbox.apiToken),
		'dental-exec',
		exportDir,
	);
});
afterAll(async () => {
	await sandbox.close();
	fs.rmSync(work, { recursive: true, force: true });
	fs.rmSync(exportDir, { recursive: true, force: true });
});

async function commitVia(baseUrl: string) {
	const store = FileJournalStore.open(path.join(work, 'journal'), sandbox.companyId);
	try {
		return await commitPlans(migration.plans, {
			store,
			client: drillClient(baseUrl, sandbox.apiToken),
			registry: migration.registry,
			confirmedSpecHash: migration.specHash,
			kind: 'full',
			runId: 'stop-drill',
		});
	} finally {
		await store.close();
	}
}

it('the server stopping mid-run: one clear message, a consistent journal, a resume that loses nothing', async () => {
	const proxy = await stoppingProxy(sandbox.baseUrl, 60);
	const stopped = await commitVia(proxy.url);
	expect(proxy.stopped()).toBe(true);
	expect(stopped.status).toBe('interrupted');
	// The refused connections after it stop the run at once (no backoff on a server that is gone).
	expect(stopped.message).toBe(
		`No Pipedrive server answers at the credential's base URL (the connection was refused): check the base URL and that the server is running. ${stopped.totals.pending} operations are still to do; fix it and run the commit again with run id stop-drill: it looks up any write left in doubt first, so nothing is written twice.`,
	);
	expect(stopped.totals.failed).toBe(0);

	// The journal reopens, owner-only, and every record it maps is live in Pipedrive, once.
	const dir = path.join(work, 'journal');
	expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
	expect(fs.statSync(path.join(dir, JOURNAL_FILE_NAME)).mode & 0o777).toBe(0o600);
	const store = FileJournalStore.open(dir, sandbox.companyId);
	try {
		expect((await store.getRun('stop-drill'))?.status).toBe('interrupted');
		const mapped = await store.listMapped();
		expect(mapped).toHaveLength(stopped.totals.created);
		const snapshot = sandbox.admin.snapshot({ live: true });
		const live = new Set(
			(
				['persons', 'organizations', 'deals', 'leads', 'activities', 'notes', 'files'] as const
			).flatMap((list) => snapshot[list].map((r) => `${list}:${String(r.id)}`)),
		);
		const list = {
			person: 'persons',
			organization: 'organizations',
			deal: 'deals',
			lead: 'leads',
			activity: 'activities',
			note: 'notes',
			file: 'files',
		} as const;
		expect(mapped.filter((r) => !live.has(`${list[r.object]}:${r.pipedriveId}`))).toEqual([]);
		expect(new Set(mapped.map((r) => `${r.object}:${r.pipedriveId}`)).size).toBe(mapped.length);
	} finally {
		await store.close();
	}

	const resumed = await commitVia(sandbox.baseUrl);
	expect(resumed.status).toBe('completed');
	expect(resumed.totals).toMatchObject({ failed: 0, skipped: 0, pending: 0 });
	const check = landedAgainstExport(
		sandbox.admin.snapshot({ live: true }),
		migration.read,
		migration.plans,
		migration.registry,
	);
	expect([check.duplicates, check.lost, check.unexpected]).toEqual([[], [], []]);
});
