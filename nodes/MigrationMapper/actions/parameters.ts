import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SourceSystem } from '../../../lib/model/primitives';
import { SOURCE_OPTIONS } from '../../../lib/registry/sources';

export const sourceSystemProperty: INodeProperties = {
	displayName: 'Source System',
	name: 'sourceSystem',
	type: 'options',
	options: SOURCE_OPTIONS,
	default: 'dental-exec',
};

export const specProperty: INodeProperties = {
	displayName: 'Mapping Spec',
	name: 'spec',
	type: 'json',
	default: '={{ $json.spec }}',
	required: true,
	description:
		'The mapping spec (JSON), usually `spec` from the Propose Mapping or Confirm Mapping output',
};

export const profilesDirProperty: INodeProperties = {
	displayName: 'Profiles Folder',
	name: 'profilesDir',
	type: 'string',
	default: '',
	placeholder: 'e.g. /data/mapping-profiles',
	description: 'Folder of mapping profiles (JSON) on the n8n host',
};

export function readSourceSystem(context: IExecuteFunctions, itemIndex: number): SourceSystem {
	return SourceSystem.parse(context.getNodeParameter('sourceSystem', itemIndex));
}

/** A JSON parameter: an object from an expression, or JSON text typed in. */
export function readJsonParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): unknown {
	const value = context.getNodeParameter(name, itemIndex) as unknown;
	if (value === '' || value === undefined || value === null)
		throw new NodeOperationError(context.getNode(), `The ${label} parameter is empty`, {
			itemIndex,
			description: `Set ${label} to the JSON, or to an expression that gives it`,
		});
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		throw new NodeOperationError(context.getNode(), `The ${label} parameter is not valid JSON`, {
			itemIndex,
			description: `Fix the JSON syntax of ${label} and run again`,
		});
	}
}

/** The run date, for values that default to "today" (confirmation time, recency date). */
export const runDate = () => new Date().toISOString().slice(0, 10);
