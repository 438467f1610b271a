import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { readFieldRegistry } from '../../../lib/pipedrive/fieldRegistry';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce, pipedriveContext } from '../../shared/pipedriveContext';
import { readSchema, schemaSourceProperties } from './schemaInput';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['getFieldRegistry'] } },
	schemaSourceProperties,
);

/**
 * The registry (our names → the account's hash keys, option ids, pipeline, stages, activity
 * types), plus a flat field list a team can paste into later automations.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Get field registry', async () => {
		const { client } = await pipedriveContext(this);
		const registry = await readFieldRegistry(client, readSchema(this));
		const fieldList = Object.entries(registry.fields).flatMap(([object, fields]) =>
			Object.entries(fields).map(([name, field]) => ({ object, name, ...field })),
		);
		return { ...registry, fieldList } as unknown as JsonObject;
	});
}
