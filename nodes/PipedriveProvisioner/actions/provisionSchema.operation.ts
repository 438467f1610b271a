import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { provisionSchema } from '../../../lib/pipedrive/provision';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce, pipedriveContext } from '../../shared/pipedriveContext';
import { readSchema, schemaSourceProperties } from './schemaInput';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['provisionSchema'] } },
	schemaSourceProperties,
);

/**
 * Creates what the spec needs and the account lacks (custom fields, options, the source-key
 * fields, the treatment-plan pipeline and stages, activity types). A second run reports
 * `unchanged`.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Provision schema', async () => {
		const { client, plan } = await pipedriveContext(this);
		const { registry, actions } = await provisionSchema(client, readSchema(this), { plan });
		const count = (action: string) => actions.filter((a) => a.action === action).length;
		const created = count('created');
		const optionsAdded = count('options-added');
		return {
			status: created + optionsAdded === 0 ? 'unchanged' : 'changed',
			created,
			optionsAdded,
			unchanged: count('unchanged'),
			// Enum/set fields the spec lists no options for yet (created by a run with the confirmed spec).
			awaitingOptions: count('awaits-options'),
			actions,
			registry,
			apiUsage: client.stats(),
		} as unknown as JsonObject;
	});
}
