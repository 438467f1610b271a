import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { confirmSpec } from '../../../lib/mapping/confirm';
import { MappingSpec } from '../../../lib/mapping/spec';
import { executeItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { readJsonParameter, specProperty } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['confirmMapping'] } }, [
	specProperty,
]);

/**
 * The confirm step: a valid spec gets its hash recorded with the time. Transform and the Ledger's
 * Commit accept only a spec whose hash equals this `specHash`; any change to the spec voids it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeItems(this, async (itemIndex) => {
		const document = readJsonParameter(this, 'spec', itemIndex, 'Mapping Spec');
		const confirmation = confirmSpec(document, new Date().toISOString());
		return { json: { ...confirmation, spec: MappingSpec.parse(document) } };
	});
}
