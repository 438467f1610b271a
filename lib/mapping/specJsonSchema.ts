import { z } from 'zod';
import { canonicalJson } from './canonicalJson';
import { MappingSpec } from './spec';

/**
 * The mapping spec as JSON Schema (draft 2020-12), generated from the zod definition so editors
 * can check a spec while it is written. `schemas/mapping-spec.schema.json` holds this text;
 * `scripts/export-spec-schema.ts` writes it and a test keeps it current.
 */
export function mappingSpecJsonSchemaText(): string {
	const schema = z.toJSONSchema(MappingSpec, { target: 'draft-2020-12', io: 'input' });
	const documented = {
		...schema,
		$id: 'https://github.com/dental-pipedrive/n8n-nodes-dental-pipedrive/schemas/mapping-spec.schema.json',
		title: 'Dental → Pipedrive mapping spec',
	};
	return `${canonicalJson(documented, '\t')}\n`;
}
