import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { loadOptions } from './methods';

/** Step 2 of the migration: prepare Pipedrive before any record lands. The work is in lib/pipedrive. */
export class PipedriveProvisioner implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
