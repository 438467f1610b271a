import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as transformModule from '../../lib/mapping/transform';
import type { TransformInput, Transformer } from '../../lib/mapping/transform';
import { specHash, type MappingSpec } from '../../lib/mapping/spec';
import type { Plan } from '../../lib/plan/plan';
import { runWorkflow } from '../../runner/engine';
import { startSandbox, type RunningSandbox } from '../../sandbox';

/**
 * The diff report is only worth something if it fails when the migration is wrong. Each case
 * breaks one rule on purpose — in the template wiring or inside Transform — runs the real
 * step-4 template through the n8n engine into a fresh sandbox, and expects the source-derived
 * diff to report mismatches on exactly the field that rule governs; the unbroken run reports none.
 */
jest.setTimeout(10 * 60_000);

const root = path.join(__dirname, '..', '..');
const SOURCES = [
	{
		source: 'dental-exec',
		exportDir: path.join(root, 'samples', 'dental-exec'),
		reader: 'Dental-Exec Reader',
		sampleSize: 20,
	},
	{
		source: 'dentadmin',
		exportDir: path.join(root, 'samples', 'dentadmin', 'nl'),
		reader: 'DentAdmin Reader',
		sampleSize: 15,
	},
] as const;
type Source = (typeof SOURCES)[number];

type Json = Record<string, unknown>;
interface DiffItem {
	status?: string;
	object?: string;
	canonical?: string;
	path?: string;
	label?: string;
	totals?: Record<string, number>;
	records?: Record<string, number>;
}

/** The export's active providers with an email, as sandbox users (the first left out: unmatched). */
async function providerUsers(source: Source) {
	const step1 = await runWorkflow(
		path.join(root, 'workflows', source.source, '1-extract-validate.json'),
		{ settings: { exportDir: source.exportDir } },
	);
	const seen = new Set<string>();
	return (step1.output(source.reader) as Json[])
		.filter((item) => item.kind === 'provider' && item.active !== false && item.email)
		.filter((item) => !seen.has(String(item.email)) && seen.add(String(item.email)))
		.map((item) => ({ name: String(item.lastName), email: String(item.email) }))
		.slice(1);
}

/** Step 4 of `source` into a fresh sandbox; the template may be edited first. */
async function sampleDiff(
	source: Source,
	users: Array<{ name: string; email: string }>,
	editTemplate: (workflow: { nodes: Array<{ name: string; parameters: Json }> }) => void = () => {},
): Promise<DiffItem[]> {
	const sandbox: RunningSandbox = await startSandbox({ plan: 'premium', seats: 3, users });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutation-'));
	try {
		const workflow = JSON.parse(
			fs.readFileSync(
				path.join(root, 'workflows', source.source, '4-sample-migration.json'),
				'utf8',
			),
		) as { nodes: Array<{ name: string; parameters: Json }> };
		editTemplate(workflow);
		const file = path.join(dir, 'workflow.json');
		fs.writeFileSync(file, JSON.stringify(workflow));
		const result = await runWorkflow(file, {
			credentials: {
				pipedriveMigrationApi: {
					baseUrl: sandbox.baseUrl,
					apiToken: sandbox.apiToken,
					plan: 'premium',
					seats: 3,
				},
			},
			settings: {
				exportDir: source.exportDir,
				sampleSize: source.sampleSize,
				journalDir: path.join(dir, 'journal'),
				fallbackOwnerEmail: 'admin@sandbox.test',
				confirmUnattended: true,
			},
		});
		if (result.status !== 'success')
			throw new Error(`step 4 failed in ${result.error?.node}: ${result.error?.message}`);
		return result.output('Diff Report') as DiffItem[];
	} finally {
		await sandbox.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Failing fields per `object path`, e.g. `{ 'activity owner_id': 25 }`. */
function failures(items: DiffItem[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) {
		if (!item.status || item.status === 'match') continue;
		const key = `${item.status} ${item.object} ${item.canonical}`;
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

/** Wraps Transform so every plan passes through `mutate` (a bug planted inside the Mapper). */
function plantInTransform(
	mutate: (plan: Plan, input: TransformInput) => Plan,
	mutateInput: (input: TransformInput) => TransformInput = (input) => input,
) {
	const real = transformModule.createTransformer;
	return jest.spyOn(transformModule, 'createTransformer').mockImplementation((input) => {
		const changed = mutateInput(input);
		const transformer: Transformer = real(changed);
		// The planted bug keeps the confirmed hash on its plans, so Commit's gate lets them through.
		const stamped = (plan: Plan) => ({ ...plan, specHash: input.confirmedSpecHash });
		return {
			bundle: (bundle) => stamped(mutate(transformer.bundle(bundle), changed)),
			referenceEntities: (entities) => transformer.referenceEntities(entities).map(stamped),
		};
	});
}

/** A spec changed behind the confirm gate (the gate's hash follows it, as a wiring bug would). */
function respecified(input: TransformInput, change: (spec: MappingSpec) => void): TransformInput {
	const spec = structuredClone(input.spec);
	change(spec);
	return { ...input, spec, confirmedSpecHash: specHash(spec) };
}

const shiftHour = (date: string, time: string) => {
	const shifted = new Date(Date.parse(`${date}T${time}:00Z`) + 3_600_000).toISOString();
	return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
};

describe.each(SOURCES)('the sample diff of $source verifies from the source', (source) => {
	let users: Array<{ name: string; email: string }>;
	beforeAll(async () => {
		users = await providerUsers(source);
	});
	afterEach(() => jest.restoreAllMocks());

	it('reports no mismatch when nothing is broken, with every expected record read back', async () => {
		const items = await sampleDiff(source, users);
		const summary = items.at(-1) as DiffItem;
		expect(failures(items)).toEqual({});
		expect(summary.records?.verified).toBe(summary.records?.expected);
		expect(summary.records?.expected).toBeGreaterThan(source.sampleSize);
	});

	it('fails every owner of a matched provider when Transform gets an empty owner map', async () => {
		// (The first landing's route to this, Match Users reading the validation report, is now
		// refused by Match Users itself: test/pipedrive/readerRecords.test.ts.)
		plantInTransform(
			(plan) => plan,
			(input) => ({
				...input,
				owners: { owners: {}, fallbackUserId: input.owners.fallbackUserId },
			}),
		);
		const failed = failures(await sampleDiff(source, users));
		expect(Object.keys(failed).length).toBeGreaterThan(0);
		for (const key of Object.keys(failed))
			expect(key).toMatch(/^mismatch \w+ .*(provider|author)/i);
	});

	it('fails activity times shifted by an hour inside Transform', async () => {
		plantInTransform((plan) => ({
			...plan,
			operations: plan.operations.map((op) => {
				if (op.object !== 'activity' || typeof op.body.due_time !== 'string') return op;
				const { date, time } = shiftHour(String(op.body.due_date), op.body.due_time);
				return { ...op, body: { ...op.body, due_date: date, due_time: time } };
			}),
		}));
		const failed = failures(await sampleDiff(source, users));
		expect(failed['mismatch activity appointment.start']).toBeGreaterThan(0);
		expect(Object.keys(failed)).toEqual(['mismatch activity appointment.start']);
	});

	it('fails phones filed under another kind (a mobile number as home)', async () => {
		const swap: Record<string, string> = {
			mobile: 'home',
			home: 'mobile',
			work: 'other',
			other: 'work',
		};
		plantInTransform((plan) => ({
			...plan,
			operations: plan.operations.map((op) =>
				op.object === 'person' && Array.isArray(op.body.phones)
					? {
							...op,
							body: {
								...op.body,
								phones: (op.body.phones as Array<{ label: string }>).map((phone) => ({
									...phone,
									label: swap[phone.label] ?? phone.label,
								})),
							},
						}
					: op,
			),
		}));
		const failed = failures(await sampleDiff(source, users));
		expect(Object.keys(failed)).toEqual(['mismatch person patient.phones']);
	});

	it('fails deal and lead titles that name no plan', async () => {
		plantInTransform((plan) => ({
			...plan,
			operations: plan.operations.map((op) =>
				op.object === 'deal' || op.object === 'lead'
					? { ...op, body: { ...op.body, title: 'Treatment plan' } }
					: op,
			),
		}));
		const failed = failures(await sampleDiff(source, users));
		expect(Object.keys(failed).sort()).toEqual(
			expect.arrayContaining(['mismatch deal treatmentPlan.id']),
		);
		expect(Object.keys(failed).every((key) => key.endsWith(' treatmentPlan.id'))).toBe(true);
	});

	it('fails addresses whose city and postal code trade places, and a visibility group changed', async () => {
		// An address object anywhere in a body (a person's postal address, an organization's address).
		const swapped = (value: unknown): unknown => {
			if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
			const record = value as Json;
			if (typeof record.value === 'string' && 'locality' in record && 'postal_code' in record)
				return { ...record, locality: record.postal_code, postal_code: record.locality };
			return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, swapped(v)]));
		};
		plantInTransform((plan) => ({
			...plan,
			operations: plan.operations.map((op) => ({
				...op,
				body: {
					...(swapped(op.body) as Json),
					...(op.object === 'deal' ? { visible_to: 1 } : {}),
				},
			})),
		}));
		const failed = failures(await sampleDiff(source, users));
		expect(Object.keys(failed).sort()).toEqual([
			'mismatch deal rules.visibleTo',
			'mismatch person patient.address',
		]);
	});

	it('fails a custom field that Transform drops, even when the plan no longer lists it', async () => {
		const name = 'Date of birth';
		plantInTransform((plan, input) => {
			const key = input.registry.fields.person[name].key;
			return {
				...plan,
				operations: plan.operations.map((op) => {
					const custom = op.body.custom_fields as Record<string, unknown> | undefined;
					if (op.object !== 'person' || !custom || !(key in custom)) return op;
					const { [key]: _dropped, ...rest } = custom;
					return {
						...op,
						body: { ...op.body, custom_fields: rest },
						fields: op.fields.filter((field) => field.label !== name),
					};
				}),
			};
		});
		const failed = failures(await sampleDiff(source, users));
		expect(failed).toEqual({ 'missing person patient.birthDate': expect.any(Number) });
	});

	it('fails the statuses of a value map swapped behind the confirm gate', async () => {
		plantInTransform(
			(plan) => plan,
			(input) =>
				respecified(input, (spec) => {
					const { planStatuses } = spec.valueMaps;
					[planStatuses.completed, planStatuses.declined] = [
						planStatuses.declined,
						planStatuses.completed,
					];
				}),
		);
		const failed = failures(await sampleDiff(source, users));
		expect(failed['mismatch deal treatmentPlan.status']).toBeGreaterThan(0);
	});

	it('fails the leads of an inverted lead rule', async () => {
		const real = transformModule.createTransformer;
		plantInTransform(
			(plan, input) => {
				// Inverted: who qualified loses their leads, who did not (with an open plan) gets them.
				const lenient = real(
					respecified(input, (spec) => {
						spec.rules.today = '2200-01-01';
					}),
				);
				const leads = plan.operations.filter((op) => op.object === 'lead');
				const others = plan.operations.filter((op) => op.object !== 'lead');
				if (leads.length > 0) return { ...plan, operations: others };
				const bundle = bundles.get(plan.bundleKey);
				const invented = bundle
					? lenient.bundle(bundle).operations.filter((op) => op.object === 'lead')
					: [];
				return { ...plan, operations: [...others, ...invented] };
			},
			(input) => input,
		);
		const bundles = new Map<string, Parameters<Transformer['bundle']>[0]>();
		const spy = transformModule.createTransformer as jest.Mock;
		const planted = spy.getMockImplementation()!;
		spy.mockImplementation((input: TransformInput) => {
			const transformer = planted(input) as Transformer;
			return {
				bundle: (bundle: Parameters<Transformer['bundle']>[0]) => {
					bundles.set(bundle.bundleKey, bundle);
					return transformer.bundle(bundle);
				},
				referenceEntities: transformer.referenceEntities,
			};
		});
		const failed = failures(await sampleDiff(source, users));
		const leadFailures = Object.entries(failed).filter(([key]) => key.includes(' lead '));
		expect(leadFailures.length).toBeGreaterThan(0);
	});
});
