import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultSpec } from '../../lib/mapping/defaults';
import type { MappingSpec } from '../../lib/mapping/spec';
import type { PatientBundle } from '../../lib/model/bundle';
import type { ReferenceEntity } from '../../lib/model/reference';
import type { ValidationReport } from '../../lib/model/validationReport';
import { PipedriveClient } from '../../lib/pipedrive/client';
import { readAccountSchema } from '../../lib/pipedrive/fieldRegistry';
import {
	countEntities,
	estimatePreflight,
	type PreflightEstimate,
} from '../../lib/pipedrive/preflight';
import { planProvisioning } from '../../lib/pipedrive/provision';
import type { FieldRegistry, OwnerMap } from '../../lib/pipedrive/schemaRequirements';
import type { PipedriveObject } from '../../lib/plan/plan';
import { planBill } from '../../lib/preflight/bill';
import { tokensSpent } from '../../lib/preflight/spent';
import { withPageBundles } from '../../lib/pages/pages';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { startSandbox } from '../../sandbox';
import { PLAN, templateRunner } from '../acceptance/support/migration';

/**
 * Preflight against the sandbox's own counters: step 2 provisions a fresh sandbox; Preflight's
 * inputs are taken as they stand before step 5 writes (the provisioning dry run against the
 * account, then the reader's records, spec, registry and owner map that step 5's read-only
 * nodes compute); step 5 runs; the tokens the sandbox charged for it are summed per object.
 */

/** The full-migration template's page (its Page of bundles node). */
export const FULL_MIGRATION_PAGE = 50;
const READER_NAMES = {
	'dental-exec': 'Dental-Exec Reader',
	dentadmin: 'DentAdmin Reader',
} as const;

export interface BillComparison {
	estimate: PreflightEstimate;
	/** What template 2's Preflight node printed (default spec with the export's referral list). */
	template: PreflightEstimate;
	/** Tokens the sandbox charged during step 5, per object and for the per-run setup. */
	actual: { perObject: Record<PipedriveObject, number>; setup: number; total: number };
}

export async function compareBill(
	source: 'dental-exec' | 'dentadmin',
	exportDir: string,
	users: Array<{ name: string; email: string }> = [],
): Promise<BillComparison> {
	const sandbox = await startSandbox({ plan: PLAN, seats: 3, users });
	const work = mkdtempSync(join(tmpdir(), `bill-${source}-`));
	try {
		const run = templateRunner(sandbox, source, exportDir, work);
		const step2 = await run('2-provision-pipedrive');
		// The account as step 5 finds it; its provisioning is planned below with step 5's spec.
		const client = new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
		);
		const pipeline = defaultSpec(source, new Date().toISOString().slice(0, 10)).schema.pipeline;
		const account = await readAccountSchema(client, pipeline.name);
		const before = { ...sandbox.admin.counters().tokens };
		const full = await run('5-full-migration');
		const charged = sandbox.admin.counters().tokens;
		const actual = tokensSpent(before, charged);

		// The reader's references and pages, each page as its bundles (the streamed read's spool).
		const items = withPageBundles(full.output('Records')) as unknown as Array<
			PatientBundle | ReferenceEntity
		>;
		const spec = full.output('Spec to migrate')[0].spec as MappingSpec;
		const registry = full.output('Provision Schema')[0].registry as FieldRegistry;
		const owners = full.output('Match Users')[0].ownerMap as OwnerMap;
		const report = full.output(READER_NAMES[source], 1)[0] as unknown as ValidationReport;
		const estimate = estimatePreflight({
			totals: report.totals,
			entities: countEntities(items as unknown as Array<Record<string, unknown>>),
			requirements: spec.schema,
			plan: PLAN,
			seats: 3,
			provisionPlan: planProvisioning(account, spec.schema),
			planned: planBill({
				items,
				transform: { spec, registry, owners },
				pageSize: FULL_MIGRATION_PAGE,
			}),
		});
		const template = step2.output('Preflight')[0] as unknown as PreflightEstimate;
		return { estimate, template, actual };
	} finally {
		await sandbox.close();
		rmSync(work, { recursive: true, force: true });
	}
}
