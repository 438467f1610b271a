import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { confirmSpec } from '../../../lib/mapping/confirm';
import { sampleExportColumns } from '../../../lib/mapping/propose';
import { profileOf } from '../../../lib/mapping/propose/fromExport';
import { profileFromSpec, writeProfile } from '../../../lib/mapping/propose/profiles';
import { MappingSpec } from '../../../lib/mapping/spec';
import { folderSource } from '../../../lib/sources/common/exportSource';
import { executeItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { profilesDirProperty, readJsonParameter, specProperty } from './parameters';

const saveAsProfile = { show: { saveProfile: [true] } };

const properties: INodeProperties[] = [
	specProperty,
	{
		displayName: 'Save as Mapping Profile',
		name: 'saveProfile',
		type: 'boolean',
		default: false,
		description:
			"Whether to save the confirmed spec's column choices as a profile for the export's layout, so Propose Mapping reuses them for the next export of that system and layout",
	},
	{
		displayName: 'Export Folder',
		name: 'exportDir',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /data/exports/practice-42',
		description: 'The export the spec was proposed for: its file names and headers are the layout',
		displayOptions: saveAsProfile,
	},
	{ ...profilesDirProperty, required: true, displayOptions: saveAsProfile },
	{
		displayName: 'Profile Name',
		name: 'profileName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Dental-Exec 9.2 (Finnish)',
		description:
			'The file in the Profiles Folder is named after it; a profile of the same name is replaced',
		displayOptions: saveAsProfile,
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['confirmMapping'] } },
	properties,
);

/**
 * The confirm step: a valid spec gets its hash recorded with the time. Transform and the Ledger's
 * Commit accept only a spec whose hash equals this `specHash`; any change to the spec voids it.
 * Optionally the confirmed column choices are saved as a mapping profile (headers and targets
 * only, no cell of the export).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeItems(this, async (itemIndex) => {
		const document = readJsonParameter(this, 'spec', itemIndex, 'Mapping Spec');
		const confirmation = confirmSpec(document, new Date().toISOString());
		const spec = MappingSpec.parse(document);
		if (!(this.getNodeParameter('saveProfile', itemIndex, false) as boolean))
			return { json: { ...confirmation, spec } };
		const profile = profileFromSpec({
			name: (this.getNodeParameter('profileName', itemIndex) as string).trim(),
			spec,
			specHash: confirmation.specHash,
			profile: profileOf(spec.source),
			samples: await sampleExportColumns(
				folderSource(this.getNodeParameter('exportDir', itemIndex) as string),
			),
		});
		const path = writeProfile(this.getNodeParameter('profilesDir', itemIndex) as string, profile);
		return { json: { ...confirmation, spec, profile: { name: profile.name, path } } };
	});
}
