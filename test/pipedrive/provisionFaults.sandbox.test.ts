import { defaultSpec } from '../../lib/mapping/defaults';
import type { SourceSystem } from '../../lib/model/primitives';
import { PipedriveClient } from '../../lib/pipedrive/client';
import { awaitsOptions, requiredFields } from '../../lib/pipedrive/fieldRegistry';
import { provisionSchema } from '../../lib/pipedrive/provision';
import { RateLimiter } from '../../lib/pipedrive/rateLimiter';
import type { SchemaRequirements } from '../../lib/pipedrive/schemaRequirements';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { customFieldsOf, expectedFields } from './helpers/sandboxFields';

type Rec = Record<string, unknown>;

/** 30 % of requests faulted, every kind: refusals, 5xx after the write, drops before and after it, slow answers. */
const faultsFor = (seed: number) =>
	`seed=${seed},rate=0.3,kinds=429+500+502+503+500-after+502-after+503-after+slow+drop-before+drop-after,slowMs=20`;

/** Name → how many live objects of that kind carry it, for everything the spec provisions. */
function provisionedCounts(sandbox: RunningSandbox, requirements: SchemaRequirements) {
	const snapshot = sandbox.admin.snapshot();
	const fields = snapshot.fields as Record<string, Rec[]>;
	const live = (rows: Rec[]) => rows.filter((r) => !r.is_deleted && r.active_flag !== false);
	const counts: Record<string, number> = {};
	const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
	for (const object of ['person', 'organization', 'deal'])
		for (const field of live(fields[object]).filter((f) => f.is_custom_field))
			bump(`${object}/${String(field.field_name)}`);
	const pipelines = live(snapshot.pipelines as Rec[]).filter(
		(p) => p.name === requirements.pipeline.name,
	);
	for (const pipeline of pipelines) bump(`pipeline/${String(pipeline.name)}`);
	for (const stage of live(snapshot.stages as Rec[]).filter((s) =>
		pipelines.some((p) => p.id === s.pipeline_id),
	))
		bump(`stage/${String(stage.name)}`);
	for (const type of live(snapshot.activityTypes as Rec[]))
		if (requirements.activityTypes.some((t) => t.name === type.name))
			bump(`activityType/${String(type.name)}`);
	return counts;
}

/** One of each: what the spec names (hand-listed from the requirements, not from provisioning's actions). */
function oneOfEach(requirements: SchemaRequirements): Record<string, number> {
	const expected: Record<string, number> = {};
	for (const definition of requiredFields(requirements).filter((d) => !awaitsOptions(d)))
		expected[`${definition.object}/${definition.name}`] = 1;
	expected[`pipeline/${requirements.pipeline.name}`] = 1;
	for (const stage of requirements.pipeline.stages) expected[`stage/${stage}`] = 1;
	for (const { name } of requirements.activityTypes) expected[`activityType/${name}`] = 1;
	return expected;
}

describe('provisioning under 30 % mixed sandbox faults', () => {
	let sandbox: RunningSandbox;
	afterEach(async () => sandbox?.close());

	const faulted = () => {
		const { byStatus } = sandbox.admin.counters();
		return ['429', '500', '502', '503', 'dropped'].reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);
	};

	it.each<[SourceSystem, number]>([
		['dental-exec', 3],
		['dental-exec', 8],
		['dentadmin', 5],
	])(
		'the %s default spec (fault seed %d) completes and the account holds exactly one of each field, stage and type',
		async (source, seed) => {
			sandbox = await startSandbox({
				plan: 'premium',
				seats: 1,
				seed: 21,
				faults: faultsFor(seed),
			});
			const limiter = new RateLimiter({
				plan: 'premium',
				seats: 1,
				random: () => 0.5,
				backoffBaseMs: 5,
				backoffMaxMs: 20,
			});
			const client = new PipedriveClient(
				new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
				{ limiter },
			);
			const requirements = defaultSpec(source, '2026-11-21').schema;

			const { actions } = await provisionSchema(client, requirements, {
				plan: 'premium',
				retry: { baseDelayMs: 5, maxDelayMs: 20 },
			});
			const injected = faulted();
			sandbox.admin.setFaults(null);

			expect(provisionedCounts(sandbox, requirements)).toEqual(oneOfEach(requirements));
			expect(customFieldsOf(sandbox)).toEqual(expectedFields(requirements));
			// The faults really hit this run, writes included (the seeds are fixed, so these are stable).
			expect(injected).toBeGreaterThan(10);
			expect(actions.filter((a) => a.action === 'awaits-options')).toEqual(
				requiredFields(requirements)
					.filter(awaitsOptions)
					.map((d) => ({ object: d.object, name: d.name, action: 'awaits-options', key: '' })),
			);
			process.stdout.write(
				`provisioning ${source} seed ${seed}: ${injected} faults injected, duplicates 0\n`,
			);
		},
	);
});
