import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { specHash } from '../../../lib/mapping/spec';
import { validateSpec } from '../../../lib/mapping/validate';
import { executeItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { readJsonParameter, specProperty } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['validateSpec'] } }, [
	specProperty,
]);

/**
 * Check a spec without confirming it: `valid`, the problems (path, what, fix), its hash and (when
 * valid) the parsed spec, so a template can hand the spec on while the confirmed hash gates it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeItems(this, async (itemIndex) => {
		const result = validateSpec(readJsonParameter(this, 'spec', itemIndex, 'Mapping Spec'));
		return {
			json: {
				valid: result.ok,
				problems: result.problems,
				specHash: result.spec ? specHash(result.spec) : null,
				...(result.ok ? { spec: result.spec } : {}),
			},
		};
	});
}
