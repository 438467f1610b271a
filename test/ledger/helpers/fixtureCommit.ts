import { commitPlans, type CommitOptions } from '../../../lib/ledger/commit';
import type { JournalStore } from '../../../lib/ledger/store/journalStore';
import type { Plan } from '../../../lib/plan/plan';
import { FIXTURE_SPEC_HASH, readFixtureDocument } from '../fixtures/handPlans';
import type { SandboxAccount } from './sandboxAccount';

/** Commits hand-written fixture plans into the sandbox account (a full run, unless told otherwise). */
export function fixtureCommit(
	account: SandboxAccount,
	store: JournalStore,
	plans: readonly Plan[],
	options: Partial<Pick<CommitOptions, 'kind' | 'conflictPolicy' | 'runId'>> = {},
) {
	return commitPlans(plans, {
		store,
		client: account.client,
		registry: account.registry,
		confirmedSpecHash: FIXTURE_SPEC_HASH,
		kind: 'full',
		readDocument: readFixtureDocument,
		...options,
	});
}
