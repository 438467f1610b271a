/**
 * A commit in its own process, for the crash test: it commits the fixture plans and, at the
 * configured point (after the Nth intent, Nth applied write or Nth journaled outcome), prints
 * PAUSED and waits there for the parent's SIGKILL.
 */
import * as fs from 'node:fs';

import { commitPlans } from '../../../lib/ledger/commit';
import { FileJournalStore } from '../../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../../lib/ledger/store/journalStore';
import {
	PostgresJournalStore,
	type PostgresJournalConfig,
} from '../../../lib/ledger/store/postgresJournalStore';
import { PipedriveClient } from '../../../lib/pipedrive/client';
import type { FieldRegistry } from '../../../lib/pipedrive/schemaRequirements';
import { FetchTransport } from '../../../lib/transport/fetchTransport';
import { pauseAt, type PausePoint } from './pausePoints';
import { FIXTURE_SPEC_HASH, handPlans, readFixtureDocument } from '../fixtures/handPlans';

export type { PausePoint };

export interface ChildConfig {
	baseUrl: string;
	apiToken: string;
	companyId: number;
	registry: FieldRegistry;
	patients: number;
	runId: string;
	journal: { kind: 'embedded'; dir: string } | { kind: 'postgres'; config: PostgresJournalConfig };
	pause: { at: PausePoint; n: number };
	/** Writes in flight at once (the commit's `concurrency`). */
	concurrency: number;
}

async function main(): Promise<void> {
	const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as ChildConfig;
	const store: JournalStore =
		config.journal.kind === 'embedded'
			? FileJournalStore.open(config.journal.dir, config.companyId)
			: await PostgresJournalStore.open(config.journal.config, config.companyId);
	const client = new PipedriveClient(
		new FetchTransport({ baseUrl: config.baseUrl, apiToken: config.apiToken }),
	);

	pauseAt(store, client, config.pause);

	const result = await commitPlans(handPlans(config.registry, { patients: config.patients }), {
		store,
		client,
		registry: config.registry,
		confirmedSpecHash: FIXTURE_SPEC_HASH,
		kind: 'full',
		runId: config.runId,
		readDocument: readFixtureDocument,
		concurrency: config.concurrency,
	});
	await store.close();
	process.stdout.write(`DONE ${JSON.stringify(result.totals)}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
