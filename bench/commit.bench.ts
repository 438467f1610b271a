/**
 * `npm run bench:commit`: commits fixture bundles into the sandbox through the real client and
 * rate limiter, then prints requests and tokens per migrated bundle against the floor (the
 * minimal writes for those bundles at the spec's token costs) and requests per second against
 * the plan's burst ceiling. A second run of the same plans shows what an idempotent re-run costs.
 *
 *   npm run bench:commit -- [patients=40] [plan=growth] [faults=<spec>]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { commitPlans } from '../lib/ledger/commit';
import { FileJournalStore } from '../lib/ledger/store/fileJournalStore';
import { burstLimit, BURST_WINDOW_MS, parsePlan } from '../lib/pipedrive/plans';
import { tokenCost } from '../lib/pipedrive/tokenCosts';
import type { PipedriveObject, Plan } from '../lib/plan/plan';
import {
	FIXTURE_SPEC_HASH,
	handPlans,
	readFixtureDocument,
} from '../test/ledger/fixtures/handPlans';
import { sandboxAccount } from '../test/ledger/helpers/sandboxAccount';

/** The create endpoint of each object, to price the floor with the spec's `x-token-cost`. */
const CREATE_PATH: Record<PipedriveObject, string> = {
	organization: '/api/v2/organizations',
	person: '/api/v2/persons',
	deal: '/api/v2/deals',
	activity: '/api/v2/activities',
	lead: '/api/v1/leads',
	note: '/api/v1/notes',
	file: '/api/v1/files',
};

function argument(name: string, fallback: string): string {
	const found = process.argv.slice(2).find((arg) => arg.startsWith(`${name}=`));
	return found ? found.slice(name.length + 1) : fallback;
}

function floor(plans: readonly Plan[]): { writes: number; tokens: number } {
	const operations = plans.flatMap((plan) => plan.operations);
	return {
		writes: operations.length,
		tokens: operations.reduce(
			(sum, operation) => sum + tokenCost('POST', CREATE_PATH[operation.object]),
			0,
		),
	};
}

async function main(): Promise<void> {
	const patients = Number(argument('patients', '40'));
	const plan = parsePlan(argument('plan', 'growth'));
	const faults = argument('faults', '');
	const account = await sandboxAccount({ plan, seats: 3, ...(faults ? { faults } : {}) });
	const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-commit-'));
	const store = FileJournalStore.open(journalDir, account.companyId);
	const plans = handPlans(account.registry, { patients });
	const bundles = plans.length;
	const minimal = floor(plans);
	const ceiling = burstLimit(plan, 'apiToken') / (BURST_WINDOW_MS / 1000);
	const lines: string[] = [];
	const say = (line: string) => lines.push(line);

	say(
		`Commit benchmark: ${patients} fixture patients + 1 practice = ${bundles} bundles, ${minimal.writes} records, plan ${plan}${faults ? `, faults ${faults}` : ''}`,
	);
	say(
		`Floor (one create per record at spec token costs): ${(minimal.writes / bundles).toFixed(2)} requests and ${(minimal.tokens / bundles).toFixed(2)} tokens per bundle`,
	);
	for (const label of ['first run (creates)', 'second run (idempotent re-run)']) {
		const before = account.limiter.stats();
		const started = process.hrtime.bigint();
		const result = await commitPlans(plans, {
			store,
			client: account.client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'full',
			readDocument: readFixtureDocument,
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const after = account.limiter.stats();
		const requests = after.requests - before.requests;
		const tokens = after.tokensSpent - before.tokensSpent;
		say(
			`${label}: ${result.status}, created ${result.totals.created}, unchanged ${result.totals.unchanged}, failed ${result.totals.failed}`,
		);
		say(`  ${requests} requests, ${tokens} tokens in ${seconds.toFixed(1)} s`);
		say(
			`  per bundle: ${(requests / bundles).toFixed(2)} requests (floor ${(minimal.writes / bundles).toFixed(2)}), ${(tokens / bundles).toFixed(2)} tokens (floor ${(minimal.tokens / bundles).toFixed(2)})`,
		);
		say(
			`  rate: ${(requests / seconds).toFixed(1)} requests/s against a burst ceiling of ${ceiling.toFixed(1)} requests/s (${burstLimit(plan, 'apiToken')} per ${BURST_WINDOW_MS / 1000} s); 429s ${after.rateLimited - before.rateLimited}, waits ${after.waits - before.waits}`,
		);
	}
	await store.close();
	await account.close();
	fs.rmSync(journalDir, { recursive: true, force: true });
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
