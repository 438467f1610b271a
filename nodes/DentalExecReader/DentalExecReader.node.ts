import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { readExport } from '../../lib/sources/common';
import { dentalExecProfile } from '../../lib/sources/dental-exec';
import { readerProperties } from '../shared/reader/description';
import { executeReader } from '../shared/reader/execute';

/** Step 1 of a Dental-Exec migration: read the export, validate it, output records and the report. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- not a tool, see the description
export class DentalExecReader implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dental-Exec Reader',
		name: 'dentalExecReader',
		icon: { light: 'file:dentalExecReader.svg', dark: 'file:dentalExecReader.dark.svg' },
		group: ['input'],
		version: 1,
		// Words, not the folder: the templates set it by an expression, which the canvas shows raw.
		subtitle:
			'={{ $parameter["inputMode"] === "binary" ? "Read binary files" : "Read an export folder" }}',
		description:
			'Reads and validates a Dental-Exec CSV export into patient bundles and reference records',
		defaults: { name: 'Dental-Exec Reader' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Records', 'Report'],
		// Deliberately not usable as a tool: the node reads whole folders or binary files from
		// the host and outputs large patient bundles, which an agent can neither supply nor use
		// as a result. n8n-workflow 2.41 types `usableAsTool` as `true` or options, so "false" is
		// leaving it out, and the lint rule that asks for the property is disabled on the class.
		properties: readerProperties({
			sourceName: 'Dental-Exec',
			folderPlaceholder: 'e.g. /data/exports/dental-exec',
			defaultTimeZone: dentalExecProfile.defaultTimeZone,
			defaultCurrency: dentalExecProfile.defaultCurrency,
			entities: [
				{ name: 'Appointment', value: 'appointment' },
				{ name: 'Claim', value: 'claim' },
				{ name: 'Document', value: 'document' },
				{ name: 'Lab Case', value: 'labCase' },
				{ name: 'Note', value: 'note' },
				{ name: 'Patient', value: 'patient' },
				{ name: 'Payment', value: 'payment' },
				{ name: 'Practice', value: 'practice' },
				{ name: 'Provider', value: 'provider' },
				{ name: 'Referral Source', value: 'referralSource' },
				{ name: 'Task', value: 'task' },
				{ name: 'Treatment Plan', value: 'treatmentPlan' },
			],
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReader(this, (source, options) =>
			readExport(dentalExecProfile, source, options),
		);
	}
}
