import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { defaultSpec } from '../../lib/mapping/defaults';
import { specHash } from '../../lib/mapping/spec';
import { mappingSpecJsonSchemaText } from '../../lib/mapping/specJsonSchema';
import { validateSpec } from '../../lib/mapping/validate';
import { TODAY, specWith } from './helpers';

const schemaPath = join(__dirname, '..', '..', 'schemas', 'mapping-spec.schema.json');

describe('mapping spec', () => {
	test('the committed JSON Schema is what scripts/export-spec-schema.ts generates now', () => {
		expect(readFileSync(schemaPath, 'utf8')).toBe(mappingSpecJsonSchemaText());
	});

	test.each(['dental-exec', 'dentadmin'] as const)(
		'the %s default spec passes the JSON Schema',
		(source) => {
			const validate = new Ajv2020({ strict: false }).compile(
				JSON.parse(readFileSync(schemaPath, 'utf8')),
			);
			expect(validate(defaultSpec(source, TODAY))).toBe(true);
			expect(validate({ ...defaultSpec(source, TODAY), extra: 1 })).toBe(false);
		},
	);

	test.each(['dental-exec', 'dentadmin'] as const)(
		'the %s default spec is valid once the referral pick-list is known',
		(source) => {
			expect(validateSpec(specWith(source)).problems).toEqual([]);
		},
	);

	test('the Dental-Exec default without a referral pick-list says how to fill the options', () => {
		expect(validateSpec(defaultSpec('dental-exec', TODAY)).problems).toEqual([
			'schema.customFields: person field "Referral source" has no options; run Propose on the export or list its options.',
		]);
	});

	test('cross-checks: undeclared custom field, wrong object, unknown stage, label not an option', () => {
		const spec = specWith('dental-exec', (s) => {
			s.fields['patient.gender'] = { object: 'person', custom: 'Sex' };
			s.fields['patient.birthDate'] = { object: 'deal', custom: 'Procedure codes' };
			s.fields['patient.language'] = { object: 'person', standard: 'language' };
			s.fields['patient.shoeSize'] = { object: 'person', custom: 'Gender' };
			s.valueMaps.planStatuses.declined = { status: 'lost', stage: 'Lost' };
			s.valueMaps.patientStatuses.deceased = 'Passed away';
			s.valueMaps.labCase = { activityType: 'Lab', subject: 'Lab case' };
		});
		expect(validateSpec(spec).problems).toEqual([
			'fields.patient.birthDate: this value belongs on a person, not a deal.',
			'fields.patient.gender: custom field "Sex" is not declared on person in schema.customFields.',
			'fields.patient.language: "language" is not a standard person field (use one of name, emails, phones, add_time, birthday, postal_address, job_title).',
			'fields.patient.status: value-map label "Passed away" is not an option of "Patient status"; add it to the field options.',
			'fields.patient.shoeSize: not a canonical field; see lib/mapping/canonicalFields.ts for the names.',
			'valueMaps.labCase: activity type "Lab" is not in schema.activityTypes.',
			'valueMaps.planStatuses.declined: stage "Lost" is not in schema.pipeline.stages.',
		]);
	});

	test('shape problems name the path', () => {
		const spec = {
			...specWith('dentadmin'),
			rules: { ...specWith('dentadmin').rules, visibleTo: 2 },
		};
		const result = validateSpec(spec);
		expect(result.ok).toBe(false);
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]).toMatch(/^rules\.visibleTo: /);
	});

	test('the hash ignores key order and changes with any content change', () => {
		const spec = specWith('dental-exec');
		const reordered = Object.fromEntries(Object.entries(spec).reverse()) as typeof spec;
		expect(Object.keys(reordered)).toEqual(Object.keys(spec).reverse());
		expect(specHash(reordered)).toBe(specHash(spec));
		expect(specHash(spec)).toMatch(/^[0-9a-f]{64}$/);
		const changed = specWith('dental-exec', (s) => (s.rules.leadRecencyMonths = 18));
		expect(specHash(changed)).not.toBe(specHash(spec));
	});
});
