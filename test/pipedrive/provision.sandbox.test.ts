import { startSandbox, type RunningSandbox } from '../../sandbox';
import { defaultSpec } from '../../lib/mapping/defaults';
import type { SourceSystem } from '../../lib/model/primitives';
import { PipedriveClient } from '../../lib/pipedrive/client';
import {
	awaitsOptions,
	readFieldRegistry,
	requiredFields,
	SchemaMismatchError,
} from '../../lib/pipedrive/fieldRegistry';
import type { PipedrivePlan } from '../../lib/pipedrive/plans';
import { CustomFieldCapError, provisionSchema } from '../../lib/pipedrive/provision';
import { RateLimiter } from '../../lib/pipedrive/rateLimiter';
import { SOURCE_KEY_FIELD_NAME } from '../../lib/pipedrive/schemaRequirements';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { customFieldsOf, expectedFields } from './helpers/sandboxFields';

type Rec = Record<string, unknown>;

describe('provisioning against the sandbox', () => {
	let sandbox: RunningSandbox;
	afterEach(async () => sandbox?.close());

	async function clientFor(plan: PipedrivePlan): Promise<PipedriveClient> {
		sandbox = await startSandbox({ plan, seats: 1, seed: 21 });
		const limiter = new RateLimiter({ plan, seats: 1 });
		return new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
			{ limiter },
		);
	}

	const writes = () =>
		Object.entries(sandbox.admin.counters().requests)
			.filter(([op]) => !op.startsWith('GET'))
			.reduce((sum, [, n]) => sum + n, 0);

	it.each<[SourceSystem]>([['dental-exec'], ['dentadmin']])(
		'creates exactly the fields, options, pipeline, stages and activity types of the %s default spec; a second run creates nothing',
		async (source) => {
			const client = await clientFor('premium');
			const requirements = defaultSpec(source, '2026-11-21').schema;
			const before = customFieldsOf(sandbox);
			expect(before).toEqual({});

			const first = await provisionSchema(client, requirements, { plan: 'premium' });
			expect(customFieldsOf(sandbox)).toEqual(expectedFields(requirements));
			const snapshot = sandbox.admin.snapshot();
			const pipeline = (snapshot.pipelines as Rec[]).find(
				(p) => p.name === requirements.pipeline.name,
			);
			expect(pipeline).toBeDefined();
			expect(
				(snapshot.stages as Rec[])
					.filter((s) => s.pipeline_id === pipeline?.id)
					.sort((a, b) => Number(a.order_nr) - Number(b.order_nr))
					.map((s) => s.name),
			).toEqual(requirements.pipeline.stages);
			const typeNames = (snapshot.activityTypes as Rec[]).map((t) => t.name);
			for (const { name } of requirements.activityTypes) expect(typeNames).toContain(name);

			const wanted = requiredFields(requirements);
			expect(
				first.actions.filter((a) => a.action === 'created').map((a) => `${a.object}/${a.name}`),
			).toEqual([
				...wanted.filter((d) => !awaitsOptions(d)).map((d) => `${d.object}/${d.name}`),
				`pipeline/${requirements.pipeline.name}`,
				...requirements.pipeline.stages.map((s) => `stage/${s}`),
				...requirements.activityTypes
					.filter(
						(t) => !['Call', 'Meeting', 'Task', 'Deadline', 'Email', 'Lunch'].includes(t.name),
					)
					.map((t) => `activityType/${t.name}`),
			]);
			// The registry holds the sandbox's own random hash keys, never one of ours.
			const fields = snapshot.fields as Record<string, Rec[]>;
			for (const object of ['person', 'organization', 'deal'] as const) {
				const key = first.registry.fields[object][SOURCE_KEY_FIELD_NAME].key;
				expect(fields[object].find((f) => f.field_code === key)?.field_name).toBe(
					SOURCE_KEY_FIELD_NAME,
				);
				expect(key).toMatch(/^[0-9a-f]{40}$/);
			}

			const writesAfterFirst = writes();
			const second = await provisionSchema(client, requirements, { plan: 'premium' });
			expect(writes()).toBe(writesAfterFirst);
			expect(
				second.actions.filter((a) => a.action === 'created' || a.action === 'options-added'),
			).toEqual([]);
			expect(second.registry).toEqual(first.registry);
			await expect(readFieldRegistry(client, requirements)).resolves.toEqual(first.registry);
		},
	);

	it('reuses fields the account already holds under other hash keys and adds only the missing options', async () => {
		const client = await clientFor('growth');
		const requirements = defaultSpec('dental-exec', '2026-11-21').schema;
		const status = requirements.customFields.find(
			(f) => f.fieldType === 'enum' && (f.options?.length ?? 0) > 2,
		);
		const text = requirements.customFields.find(
			(f) => f.fieldType === 'varchar' && f.object === 'person',
		);
		if (!status?.options || !text)
			throw new Error('the default spec lost its enum and varchar person fields');
		// Created beforehand by someone else: the enum with only its first option.
		const existingEnum = await client.createField(status.object, {
			name: status.name,
			fieldType: 'enum',
			options: status.options.slice(0, 1),
		});
		const existingText = await client.createField(text.object, {
			name: text.name.toUpperCase(),
			fieldType: 'varchar',
		});

		const { actions, registry } = await provisionSchema(client, requirements, { plan: 'growth' });
		expect(actions.find((a) => a.name === status.name)).toEqual({
			object: status.object,
			name: status.name,
			action: 'options-added',
			key: existingEnum.field_code,
			options: status.options.slice(1),
		});
		expect(actions.find((a) => a.name === text.name)).toEqual({
			object: text.object,
			name: text.name,
			action: 'unchanged',
			key: existingText.field_code,
		});
		expect(registry.fields[status.object][status.name].key).toBe(existingEnum.field_code);
		expect(Object.keys(registry.fields[status.object][status.name].options ?? {})).toEqual(
			status.options,
		);
		expect(registry.fields[text.object][text.name].key).toBe(existingText.field_code);
		const all = customFieldsOf(sandbox);
		expect(all[`${status.object}/${status.name}`]).toBe(`enum [${status.options.join(', ')}]`);
		expect(Object.keys(all)).toHaveLength(Object.keys(expectedFields(requirements)).length);
	});

	it('refuses a field that exists with an incompatible type, naming it, before creating anything', async () => {
		const client = await clientFor('growth');
		const requirements = defaultSpec('dentadmin', '2026-11-21').schema;
		const dateField = requirements.customFields.find((f) => f.fieldType === 'date');
		if (!dateField) throw new Error('the default spec lost its date field');
		await client.createField(dateField.object, { name: dateField.name, fieldType: 'varchar' });
		const error = await provisionSchema(client, requirements, { plan: 'growth' }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(SchemaMismatchError);
		expect((error as Error).message).toBe(
			`The ${dateField.object} custom field "${dateField.name}" already exists in Pipedrive as type "varchar", but the mapping spec needs "date": rename the existing field in Pipedrive, or change the field's name or type in the mapping spec, then run again`,
		);
		expect(Object.keys(customFieldsOf(sandbox))).toEqual([`${dateField.object}/${dateField.name}`]);
	});

	it('stops before creating anything when the spec does not fit the plan cap', async () => {
		const client = await clientFor('lite');
		const requirements = defaultSpec('dental-exec', '2026-11-21').schema;
		const needed = requiredFields(requirements).length;
		const error = await provisionSchema(client, requirements, { plan: 'lite' }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(CustomFieldCapError);
		expect((error as Error).message).toBe(
			`The mapping spec needs ${needed} new custom field(s); the account already has 0 and the lite plan allows 30, so ${needed - 30} do not fit. Nothing was created. Exclude fields in the mapping spec, delete unused custom fields in Pipedrive, or move to a larger plan, then run again`,
		);
		expect(writes()).toBe(0);
		expect(customFieldsOf(sandbox)).toEqual({});
		expect((sandbox.admin.snapshot().pipelines as Rec[]).map((p) => p.name)).not.toContain(
			requirements.pipeline.name,
		);
	});
});
