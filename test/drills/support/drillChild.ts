/**
 * The full migration's commit (or its rollback) in its own process, for the kill drills: it
 * commits the plans in `plansFile` into the embedded journal and, at the configured point (after
 * the Nth intent, Nth applied write or Nth journaled outcome), prints PAUSED and waits there for
 * the parent's SIGKILL.
 */
import * as fs from 'node:fs';

import { commitPlans } from '../../../lib/ledger/commit';
import { rollback } from '../../../lib/ledger/rollback';
import { FileJournalStore } from '../../../lib/ledger/store/fileJournalStore';
import type { Plan } from '../../../lib/plan/plan';
import type { FieldRegistry } from '../../../lib/pipedrive/schemaRequirements';
import { pauseAt, type PausePoint } from '../../ledger/helpers/pausePoints';
import { drillClient } from './client';

export type { PausePoint };

export interface DrillChildConfig {
	mode: 'commit' | 'rollback';
	baseUrl: string;
	apiToken: string;
	companyId: number;
	journalDir: string;
	runId: string;
	/** JSON `{ plans, registry, specHash }` (commit only). */
	plansFile?: string;
	pause: { at: PausePoint; n: number };
}

async function main(): Promise<void> {
	const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as DrillChildConfig;
	const store = FileJournalStore.open(config.journalDir, config.companyId);
	const client = drillClient(config.baseUrl, config.apiToken);

	pauseAt(store, client, config.pause);

	if (config.mode === 'rollback') {
		const result = await rollback({ store, client, runId: config.runId, practiceWork: 'stop' });
		process.stdout.write(`DONE ${result.status}\n`);
	} else {
		const { plans, registry, specHash } = JSON.parse(
			fs.readFileSync(config.plansFile as string, 'utf8'),
		) as { plans: Plan[]; registry: FieldRegistry; specHash: string };
		const result = await commitPlans(plans, {
			store,
			client,
			registry,
			confirmedSpecHash: specHash,
			kind: 'full',
			runId: config.runId,
		});
		process.stdout.write(`DONE ${JSON.stringify(result.totals)}\n`);
	}
	await store.close();
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
