import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PRACTICE_NAME } from '../../lib/sources/dentadmin/read';
import { readerProperties } from '../shared/reader/description';

const showForApi = { show: { inputMode: ['api'] } };

/** The shared reader parameters, with the DentAdmin API as a third input. */
function sharedProperties(): INodeProperties[] {
	return readerProperties({
		sourceName: 'DentAdmin',
		folderPlaceholder: 'e.g. /data/exports/dentadmin',
		defaultTimeZone: 'Europe/Brussels',
		defaultCurrency: 'EUR',
		entities: [
			{ name: 'Appointment', value: 'appointment' },
			{ name: 'Document', value: 'document' },
			{ name: 'Insurer (Mutuality)', value: 'insurer' },
			{ name: 'Note', value: 'note' },
			{ name: 'Patient', value: 'patient' },
			{ name: 'Practice', value: 'practice' },
			{ name: 'Provider (User)', value: 'provider' },
			{ name: 'Treatment Plan', value: 'treatmentPlan' },
		],
	}).map((property) =>
		property.name === 'inputMode'
			? {
					...property,
					options: [
						...(property.options ?? []),
						{
							name: 'DentAdmin API',
							value: 'api',
							description: 'Read the same entities as paged JSON from the API',
						},
					],
				}
			: property,
	);
}

/** DentAdmin's own parameters: the practice, the protected national number and the API layout. */
const dentAdminProperties: INodeProperties[] = [
	{
		displayName: 'Practice Name',
		name: 'practiceName',
		type: 'string',
		default: DEFAULT_PRACTICE_NAME,
		description:
			'DentAdmin exports no practice record; the one practice (a Pipedrive organization) gets this name',
	},
	{
		displayName: 'Include National Register Number',
		name: 'includeNationalNumber',
		type: 'boolean',
		default: false,
		description:
			'Whether to copy the (validated) rijksregisternummer / numéro national into the patient records. It is a legally protected identifier: leave this off unless the migration must include it.',
	},
	{
		displayName: 'RIZIV Nomenclature File',
		name: 'rizivNomenclaturePath',
		type: 'string',
		default: '',
		placeholder: 'e.g. /data/riziv/nomenclature-2026.csv',
		description:
			'CSV on the n8n host that replaces the bundled RIZIV/INAMI table (same columns: code, pair_code, description_nl, description_fr, valid_from, valid_to, source). Empty uses the bundled table, which holds only a few verified codes.',
	},
	{
		displayName: 'API Paths',
		name: 'apiPaths',
		type: 'collection',
		placeholder: 'Add path',
		default: {},
		description:
			'Path of each entity below the credential base URL; an empty path skips the entity',
		displayOptions: showForApi,
		options: [
			{
				displayName: 'Appointments',
				name: 'appointments',
				type: 'string',
				default: '/appointments',
			},
			{ displayName: 'Documents', name: 'documents', type: 'string', default: '/documents' },
			{ displayName: 'Insurers', name: 'insurers', type: 'string', default: '/insurers' },
			{ displayName: 'Notes', name: 'notes', type: 'string', default: '/notes' },
			{ displayName: 'Patients', name: 'patients', type: 'string', default: '/patients' },
			{ displayName: 'Treatments', name: 'treatments', type: 'string', default: '/treatments' },
			{ displayName: 'Users', name: 'users', type: 'string', default: '/users' },
		],
	},
	{
		displayName: 'Paging',
		name: 'pagingMode',
		type: 'options',
		options: [
			{
				name: 'Page Number',
				value: 'page',
				description: 'Ask page 1, 2, … until a page comes back short',
			},
			{
				name: 'Cursor',
				value: 'cursor',
				description: 'Follow the next cursor the response gives until there is none',
			},
		],
		default: 'page',
		displayOptions: showForApi,
	},
	{
		displayName: 'Page Size',
		name: 'apiPageSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		displayOptions: showForApi,
	},
	{
		displayName: 'Paging Parameters',
		name: 'pagingParameters',
		type: 'collection',
		placeholder: 'Add parameter',
		default: {},
		displayOptions: showForApi,
		options: [
			{ displayName: 'Cursor Parameter', name: 'cursorParam', type: 'string', default: 'cursor' },
			{
				displayName: 'Items Path',
				name: 'itemsPath',
				type: 'string',
				default: 'data',
				description:
					'Dotted path of the record list in a response; empty when the response is the list',
			},
			{
				displayName: 'Next Cursor Path',
				name: 'nextCursorPath',
				type: 'string',
				default: 'next_cursor',
				description: 'Dotted path of the next cursor in a response (cursor paging)',
			},
			{ displayName: 'Page Parameter', name: 'pageParam', type: 'string', default: 'page' },
			{
				displayName: 'Page Size Parameter',
				name: 'pageSizeParam',
				type: 'string',
				default: 'pageSize',
			},
		],
	},
];

export function dentAdminReaderProperties(): INodeProperties[] {
	return [...sharedProperties(), ...dentAdminProperties];
}
