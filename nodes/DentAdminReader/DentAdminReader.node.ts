import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { readDentAdminExport } from '../../lib/sources/dentadmin/read';
import { executeReader } from '../shared/reader/execute';
import { executeApiInput } from './apiInput';
import { dentAdminOptions } from './dentAdminOptions';
import { dentAdminReaderProperties } from './description';

/**
 * Step 1 of a DentAdmin migration: read a Belgian CSV export (Dutch or French) or the DentAdmin
 * API, validate it, output records and the report. The work is in lib/sources/dentadmin.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- not a tool: see the Dental-Exec Reader
export class DentAdminReader implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DentAdmin Reader',
		name: 'dentAdminReader',
		icon: { light: 'file:dentAdminReader.svg', dark: 'file:dentAdminReader.dark.svg' },
		group: ['input'],
		version: 1,
		// Words, not the folder: the templates set it by an expression, which the canvas shows raw.
		subtitle:
			'={{ $parameter["inputMode"] === "api" ? "Read the DentAdmin API" : $parameter["inputMode"] === "binary" ? "Read binary files" : "Read an export folder" }}',
		description:
			'Reads and validates a DentAdmin export (CSV in Dutch or French, or the API) into patient bundles and reference records',
		defaults: { name: 'DentAdmin Reader' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Records', 'Report'],
		// Not a tool, so `usableAsTool` is left unset (n8n-workflow 2.41 types it as `true | {…}`,
		// so `false` does not compile): it reads whole folders, binary files or a practice's API and
		// outputs large patient bundles, which an agent cannot supply or use as a tool result.
		credentials: [
			{ name: 'dentAdminApi', required: true, displayOptions: { show: { inputMode: ['api'] } } },
		],
		properties: dentAdminReaderProperties(),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('inputMode', 0) === 'api') return await executeApiInput(this);
		return await executeReader(this, (source, readOptions, itemIndex) =>
			readDentAdminExport(source, { ...readOptions, ...dentAdminOptions(this, itemIndex) }),
		);
	}
}
