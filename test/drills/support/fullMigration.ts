import { proposeFromExport } from '../../../lib/mapping/propose/fromExport';
import { specHash, type MappingSpec } from '../../../lib/mapping/spec';
import { createTransformer, type Transformer } from '../../../lib/mapping/transform';
import type { SourceSystem } from '../../../lib/model';
import type { Plan } from '../../../lib/plan/plan';
import { PipedriveClient } from '../../../lib/pipedrive/client';
import { provisionSchema } from '../../../lib/pipedrive/provision';
import type { FieldRegistry } from '../../../lib/pipedrive/schemaRequirements';
import { matchProvidersToUsers, providersFromReaderItems } from '../../../lib/pipedrive/users';
import { folderSource, sourceReaders, type ReadResult } from '../../../lib/sources';
import { drillClient } from './client';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../sandbox';

export interface FullMigration {
	source: SourceSystem;
	exportDir: string;
	/** What the reader produced: the bundles every landed record is checked against. */
	read: ReadResult;
	spec: MappingSpec;
	specHash: string;
	registry: FieldRegistry;
	/** Reference entities first, then one plan per patient bundle: what step 5 commits. */
	plans: Plan[];
	/** The Mapper these plans came from, for plans of other reads (pages) of the same export. */
	transformer: Transformer;
}

export interface DrillAccount {
	sandbox: RunningSandbox;
	client: PipedriveClient;
	migration: FullMigration;
	close(): Promise<void>;
}

/**
 * The full migration of an export as steps 2 and 5 prepare it for an account: the reader's
 * records, the proposal confirmed as is, the schema provisioned (idempotent: an account step 2
 * already provisioned only answers its registry), providers matched to its users, every bundle
 * transformed. Nothing is committed.
 */
export async function plannedMigration(
	client: PipedriveClient,
	source: SourceSystem,
	exportDir: string,
): Promise<FullMigration> {
	const read = await sourceReaders[source](folderSource(exportDir));
	const { spec } = await proposeFromExport(source, folderSource(exportDir), {
		today: '2026-11-01',
		report: read.report,
	});
	const hash = specHash(spec);
	const { registry } = await provisionSchema(client, spec.schema, { plan: 'premium' });
	const providers = providersFromReaderItems(
		read.references.filter((entity) => entity.kind === 'provider') as never,
	);
	const { ownerMap } = await matchProvidersToUsers(client, providers);
	const transformer = createTransformer({
		spec,
		confirmedSpecHash: hash,
		registry,
		owners: ownerMap,
	});
	const plans = [
		...transformer.referenceEntities(read.references),
		...read.bundles.map((bundle) => transformer.bundle(bundle)),
	];
	return { source, exportDir, read, spec, specHash: hash, registry, plans, transformer };
}

/** A fresh sandbox company with the full migration of an export planned for it. */
export async function drillAccount(
	source: SourceSystem,
	exportDir: string,
	options: SandboxOptions = {},
): Promise<DrillAccount> {
	const sandbox = await startSandbox({ plan: 'premium', seats: 3, burstLimit: 1000, ...options });
	const client = drillClient(sandbox.baseUrl, sandbox.apiToken);
	// A migration that cannot be planned still closes its sandbox (jest would wait for it).
	const migration = await plannedMigration(client, source, exportDir).catch(async (error) => {
		await sandbox.close();
		throw error;
	});
	return {
		sandbox,
		client,
		migration,
		close: () => sandbox.close(),
	};
}
