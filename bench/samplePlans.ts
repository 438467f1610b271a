import { proposeFromExport } from '../lib/mapping/propose/fromExport';
import { specHash } from '../lib/mapping/spec';
import { createTransformer } from '../lib/mapping/transform';
import type { PatientBundle, SourceSystem } from '../lib/model';
import type { PipedriveClient } from '../lib/pipedrive/client';
import type { PipedrivePlan } from '../lib/pipedrive/plans';
import { provisionSchema } from '../lib/pipedrive/provision';
import type { FieldRegistry } from '../lib/pipedrive/schemaRequirements';
import type { Plan } from '../lib/plan/plan';
import { folderSource, sourceReaders } from '../lib/sources';

/**
 * A bundled sample as the benchmarks migrate it: read, the proposed spec confirmed as is, the
 * schema provisioned into the client's company, every bundle transformed (owners: the admin).
 */
export async function samplePlans(
	source: SourceSystem,
	folder: string,
	client: PipedriveClient,
	plan: PipedrivePlan,
): Promise<{
	plans: Plan[];
	bundles: PatientBundle[];
	registry: FieldRegistry;
	confirmedSpecHash: string;
}> {
	const read = await sourceReaders[source](folderSource(folder));
	const { spec } = await proposeFromExport(source, folderSource(folder), {
		today: new Date().toISOString().slice(0, 10),
		report: read.report,
	});
	const { registry } = await provisionSchema(client, spec.schema, { plan });
	const confirmedSpecHash = specHash(spec);
	// Owners do not change what a write costs: every record goes to the admin here.
	const owners = { owners: {}, fallbackUserId: (await client.me()).userId };
	const transformer = createTransformer({ spec, confirmedSpecHash, registry, owners });
	const plans = [
		...transformer.referenceEntities(read.references),
		...read.bundles.map((bundle) => transformer.bundle(bundle)),
	];
	return { plans, bundles: read.bundles, registry, confirmedSpecHash };
}
