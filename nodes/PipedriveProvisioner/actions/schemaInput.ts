import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { SOURCE_OPTIONS } from '../../../lib/registry/sources';
import { NodeOperationError } from 'n8n-workflow';

import { defaultSpec } from '../../../lib/mapping/defaults';
import { SourceSystem } from '../../../lib/model/primitives';
import { SchemaRequirements } from '../../../lib/pipedrive/schemaRequirements';
import { jsonParameter } from './readerInput';

/**
 * Where an operation takes the schema requirements from: the incoming item (a mapping spec's
 * `spec.schema`, or a bare `schema`), the default spec of a source (until a confirmed spec is
 * wired in), or JSON typed into the node.
 */
export const schemaSourceProperties: INodeProperties[] = [
	{
		displayName: 'Schema From',
		name: 'schemaSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Input Item',
				value: 'input',
				description:
					'The `spec.schema` (or `schema`) of the first input item that has one, e.g. from the Migration Mapper',
			},
			{
				name: 'Default Spec of a Source',
				value: 'defaultSpec',
				description: "The package's default mapping spec for the chosen source system",
			},
			{ name: 'JSON', value: 'json', description: 'Schema requirements typed in below' },
		],
		default: 'input',
	},
	{
		displayName: 'Source System',
		name: 'sourceSystem',
		type: 'options',
		options: SOURCE_OPTIONS,
		default: 'dental-exec',
		displayOptions: { show: { schemaSource: ['defaultSpec'] } },
	},
	{
		displayName: 'Schema (JSON)',
		name: 'schemaJson',
		type: 'json',
		default:
			'{\n  "customFields": [],\n  "pipeline": { "name": "Treatment plans", "stages": ["Proposed"] },\n  "activityTypes": []\n}',
		description:
			'Schema requirements: customFields, pipeline and activityTypes, as in a mapping spec',
		displayOptions: { show: { schemaSource: ['json'] } },
	},
];

export function readSchema(context: IExecuteFunctions): SchemaRequirements {
	const source = context.getNodeParameter('schemaSource', 0) as 'input' | 'defaultSpec' | 'json';
	if (source === 'defaultSpec') {
		const system = SourceSystem.parse(context.getNodeParameter('sourceSystem', 0));
		return defaultSpec(system, new Date().toISOString().slice(0, 10)).schema;
	}
	const node = context.getNode();
	const raw =
		source === 'json'
			? jsonParameter(node, context.getNodeParameter('schemaJson', 0), 'Schema (JSON)')
			: schemaFromInput(context);
	const parsed = SchemaRequirements.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new NodeOperationError(
			node,
			`The schema requirements are not valid at "${issue.path.join('.') || '(top)'}": ${issue.message}. Fix the ${source === 'json' ? 'Schema (JSON) parameter' : 'input item'} and run again`,
		);
	}
	return parsed.data;
}

/**
 * The whole mapping spec behind the schema, when there is one (the default spec, or an input
 * item's `spec`); undefined for a bare schema. Preflight transforms with it to price the plans.
 */
export function readSpec(context: IExecuteFunctions): unknown {
	const source = context.getNodeParameter('schemaSource', 0) as 'input' | 'defaultSpec' | 'json';
	if (source === 'defaultSpec') {
		const system = SourceSystem.parse(context.getNodeParameter('sourceSystem', 0));
		return defaultSpec(system, new Date().toISOString().slice(0, 10));
	}
	if (source === 'json') return undefined;
	return context
		.getInputData()
		.map((item) => (item.json as { spec?: unknown }).spec)
		.find((spec) => spec !== undefined);
}

function schemaFromInput(context: IExecuteFunctions): unknown {
	for (const item of context.getInputData()) {
		const json = item.json as { spec?: { schema?: unknown }; schema?: unknown };
		const schema = json.spec?.schema ?? json.schema;
		if (schema !== undefined) return schema;
	}
	throw new NodeOperationError(
		context.getNode(),
		'No input item carries a mapping spec (spec.schema or schema): connect the Migration Mapper, or set Schema From to Default Spec of a Source or JSON',
	);
}
