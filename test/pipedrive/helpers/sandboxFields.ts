import type { RunningSandbox } from '../../../sandbox';
import { awaitsOptions, requiredFields } from '../../../lib/pipedrive/fieldRegistry';
import type { SchemaRequirements } from '../../../lib/pipedrive/schemaRequirements';

type Rec = Record<string, unknown>;

/** The custom fields the sandbox holds, as `object/name → type [options]`. */
export function customFieldsOf(sandbox: RunningSandbox): Record<string, string> {
	const fields = sandbox.admin.snapshot().fields as Record<string, Rec[]>;
	const found: Record<string, string> = {};
	for (const object of ['person', 'organization', 'deal']) {
		for (const field of fields[object].filter((f) => f.is_custom_field && !f.is_deleted)) {
			const options = (field.options as Array<{ label: string }> | null)?.map((o) => o.label);
			found[`${object}/${String(field.field_name)}`] =
				`${String(field.field_type)}${options ? ` [${options.join(', ')}]` : ''}`;
		}
	}
	return found;
}

/** What a spec should leave in an empty account: its fields with their options, plus the source-key fields. */
export function expectedFields(requirements: SchemaRequirements): Record<string, string> {
	const expected: Record<string, string> = {};
	for (const definition of requiredFields(requirements).filter((d) => !awaitsOptions(d))) {
		const options = definition.options ? ` [${definition.options.join(', ')}]` : '';
		expected[`${definition.object}/${definition.name}`] = `${definition.fieldType}${options}`;
	}
	return expected;
}
