import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { PlanOperation } from '../../lib/plan/plan';
import { repositoryRoot } from './support/samplePlans';

/**
 * Every request body of the golden plans against the official Pipedrive OpenAPI request schemas
 * (v2 for persons, organizations, deals, activities; v1 for notes and leads), with unknown
 * top-level keys refused as v2 refuses them. References are filled with ids first, as the Ledger
 * does at commit time.
 */
const SPEC_DIR =
	process.env.PIPEDRIVE_OPENAPI_DIR ??
	join(repositoryRoot, '..', 'shared', 'reference', 'pipedrive');
const available =
	existsSync(join(SPEC_DIR, 'openapi-v2.yaml')) && existsSync(join(SPEC_DIR, 'openapi-v1.yaml'));

type Doc = {
	paths: Record<
		string,
		Record<
			string,
			{ operationId?: string; requestBody?: { content: Record<string, { schema: object }> } }
		>
	>;
};

function requestSchema(doc: Doc, operationId: string): Record<string, unknown> {
	for (const operations of Object.values(doc.paths))
		for (const operation of Object.values(operations))
			if (operation?.operationId === operationId)
				return operation.requestBody?.content['application/json'].schema as Record<string, unknown>;
	throw new Error(`${operationId} is not in the OpenAPI file`);
}

function goldenOperations(): PlanOperation[] {
	const golden = join(repositoryRoot, 'test', 'fixtures', 'mapping', 'golden');
	return ['dental-exec', 'dentadmin'].flatMap((source) =>
		readdirSync(join(golden, source)).flatMap(
			(file) =>
				(
					JSON.parse(readFileSync(join(golden, source, file), 'utf8')) as {
						operations: PlanOperation[];
					}
				).operations,
		),
	);
}

/** The body with every ref set to an id, at its dotted path (`participants.0.person_id`). */
function resolved(operation: PlanOperation): Record<string, unknown> {
	const body = structuredClone(operation.body);
	for (const path of Object.keys(operation.refs)) {
		const parts = path.split('.');
		let target = body as Record<string, unknown>;
		for (const part of parts.slice(0, -1))
			target = (target[part] ??= {}) as Record<string, unknown>;
		target[parts[parts.length - 1]] = 4242;
	}
	return body;
}

describe('plan bodies conform to the official Pipedrive OpenAPI request schemas', () => {
	test('every golden operation validates against its create endpoint', () => {
		if (!available) {
			if (process.env.CI === 'true')
				throw new Error(
					`The Pipedrive OpenAPI files are not in ${SPEC_DIR}: set PIPEDRIVE_OPENAPI_DIR`,
				);
			process.stdout.write(
				`Pipedrive OpenAPI files not found in ${SPEC_DIR}: conformance was NOT checked.\n`,
			);
			return;
		}
		const v2 = parse(readFileSync(join(SPEC_DIR, 'openapi-v2.yaml'), 'utf8')) as Doc;
		const v1 = parse(readFileSync(join(SPEC_DIR, 'openapi-v1.yaml'), 'utf8')) as Doc;
		const ajv = new Ajv({ strict: false, allErrors: true });
		addFormats(ajv);
		const closed = (schema: Record<string, unknown>, extra: object = {}) =>
			ajv.compile({ ...schema, additionalProperties: false, ...extra });
		const validators: Partial<Record<PlanOperation['object'], ReturnType<typeof ajv.compile>>> = {
			person: closed(requestSchema(v2, 'addPerson')),
			organization: closed(requestSchema(v2, 'addOrganization')),
			deal: closed(requestSchema(v2, 'addDeal')),
			activity: closed(requestSchema(v2, 'addActivity')),
			// v1 lead bodies carry deal custom fields as top-level 40-hex keys.
			lead: closed(requestSchema(v1, 'addLead'), { patternProperties: { '^[0-9a-f]{40}$': {} } }),
			note: ajv.compile(requestSchema(v1, 'addNote')),
		};
		const operations = goldenOperations();
		const problems: string[] = [];
		const checked: Record<string, number> = {};
		for (const operation of operations) {
			const validate = validators[operation.object];
			if (!validate) continue;
			checked[operation.object] = (checked[operation.object] ?? 0) + 1;
			if (!validate(resolved(operation)))
				problems.push(`${operation.key}: ${ajv.errorsText(validate.errors)}`);
		}
		expect(problems).toEqual([]);
		// The check bites: v1-style values and a custom field at the top level are refused.
		const person = validators.person as ReturnType<typeof ajv.compile>;
		expect(person({ name: 'A', visible_to: '3' })).toBe(false);
		expect(person({ name: 'A', ['a'.repeat(40)]: 'x' })).toBe(false);
		expect((validators.activity as ReturnType<typeof ajv.compile>)({ subject: 'x', done: 1 })).toBe(
			false,
		);
		expect(Object.keys(checked).sort()).toEqual([
			'activity',
			'deal',
			'lead',
			'note',
			'organization',
			'person',
		]);
	});
});
