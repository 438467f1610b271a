import type { PipedriveClient } from '../../../lib/pipedrive/client';
import type { RunningSandbox } from '../../../sandbox';

/**
 * The records of the account (not its schema, which a rollback leaves in place by default), live
 * only and without update times, which restoring a before-image necessarily changes: the view a
 * rollback is compared on.
 */
export function accountRecords(sandbox: RunningSandbox) {
	const { persons, organizations, deals, activities, notes, files, leads } = sandbox.admin.snapshot(
		{ live: true, omitUpdateTimes: true },
	);
	return { persons, organizations, deals, activities, notes, files, leads };
}

/** What the practice already had in Pipedrive before the migration: it must survive a rollback. */
export async function practiceOwnRecords(client: PipedriveClient): Promise<void> {
	const organization = await client.create('organization', { name: 'Dental supply partner' });
	await client.create('person', { name: 'Supply rep', org_id: organization.id });
}
