import { commitPlans, type ConflictPolicy } from '../../../lib/ledger/commit';
import type { JournalStore } from '../../../lib/ledger/store/journalStore';
import type { Plan } from '../../../lib/plan/plan';
import { FIXTURE_SPEC_HASH, readFixtureDocument } from '../fixtures/handPlans';
import type { SandboxAccount } from './sandboxAccount';

/** Commits fixture plans into the sandbox account as the Ledger's Commit would. */
export function commitFixture(
	account: SandboxAccount,
	store: JournalStore,
	plans: readonly Plan[],
	kind: 'sample' | 'full' | 'delta',
	conflictPolicy?: ConflictPolicy,
) {
	return commitPlans(plans, {
		store,
		client: account.client,
		registry: account.registry,
		confirmedSpecHash: FIXTURE_SPEC_HASH,
		kind,
		readDocument: readFixtureDocument,
		conflictPolicy,
	});
}
