import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export interface ReaderDescriptionConfig {
	/** `Dental-Exec`, `DentAdmin`: used in parameter descriptions. */
	sourceName: string;
	/** The entities the source's files hold, offered in "Entities". */
	entities: INodePropertyOptions[];
	defaultTimeZone: string;
	defaultCurrency: string;
	folderPlaceholder: string;
}

/**
 * The parameters both reader nodes share: where the export comes from, which entities, a page of
 * patients, delta pickup, time zone, currency, column-map overrides and what an unreadable file does.
 */
export function readerProperties(config: ReaderDescriptionConfig): INodeProperties[] {
	return [
		{
			displayName: 'Input',
			name: 'inputMode',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Folder on Disk',
					value: 'folder',
					description: 'Read the CSV files of an export folder on the n8n host',
				},
				{
					name: 'Binary Files',
					value: 'binary',
					description: 'Read files from a previous node, e.g. Read/Write Files from Disk',
				},
			],
			default: 'folder',
		},
		{
			displayName: 'Export Folder',
			name: 'folderPath',
			type: 'string',
			required: true,
			default: '',
			placeholder: config.folderPlaceholder,
			description:
				'Folder holding the export files. A relative path is resolved against the working directory of the n8n process.',
			displayOptions: { show: { inputMode: ['folder'] } },
		},
		{
			displayName: 'Binary Properties',
			name: 'binaryProperties',
			type: 'string',
			default: '',
			placeholder: 'e.g. data, patients',
			description:
				'Comma-separated binary properties that hold export files, on one item or one item per file. Empty means every binary property of every input item. Files are matched by file name, ignoring case.',
			displayOptions: { show: { inputMode: ['binary'] } },
		},
		{
			displayName: 'Entities',
			name: 'entities',
			type: 'multiOptions',
			options: config.entities,
			default: [],
			description:
				'Entities to read; none selected reads all. Reading any patient record also reads patients.',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				{
					displayName: 'Column Map',
					name: 'columnMap',
					type: 'json',
					default: '{}',
					description:
						'Per file, a source header and the field it holds, e.g. { "patients.csv": { "Cell": "MobilePhone" } }; overrides the built-in header synonyms',
				},
				{
					displayName: 'Currency',
					name: 'currency',
					type: 'string',
					default: '',
					placeholder: `e.g. ${config.defaultCurrency}`,
					description: `ISO 4217 code of amounts that do not name their currency; empty means ${config.defaultCurrency}`,
				},
				{
					displayName: 'Export Date',
					name: 'exportDate',
					type: 'dateTime',
					default: '',
					description:
						'The day the export was made (the export files do not record it); payments, notes and performed care dated later are reported as warnings. Empty means the run date.',
				},
				{
					displayName: 'Fail on Unreadable File',
					name: 'failOnUnreadableFile',
					type: 'boolean',
					default: true,
					description:
						'Whether a file that cannot be read (or a missing patients file) stops the node; when off it becomes an error in the report and the other files are read',
				},
				{
					displayName: 'Modified Since',
					name: 'modifiedSince',
					type: 'dateTime',
					default: '',
					description:
						'Delta pickup: only patients whose own row or any of their records changed after this time (ISO 8601). Reference entities are always output.',
				},
				{
					displayName: 'Output',
					name: 'output',
					type: 'options',
					options: [
						{
							name: 'Records',
							value: 'records',
							description: 'One item per reference entity and per patient bundle',
						},
						{
							name: 'Pages on Disk',
							value: 'pages',
							description:
								'For large exports: one read into pages of bundles in the work folder; one item per reference entity and one small item per page, for Transform and Commit to process page by page',
						},
					],
					default: 'records',
				},
				{
					displayName: 'Page Limit',
					name: 'pageLimit',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Patients per page for looping over a large export; 0 reads every patient',
				},
				{
					displayName: 'Page Offset',
					name: 'pageOffset',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description:
						'Accepted patients to skip before the page starts (patients-file order). Reference entities come with offset 0 only.',
				},
				{
					displayName: 'Page Size',
					name: 'pageSize',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 50,
					description: 'Output Pages on Disk: patients per page',
				},
				{
					displayName: 'Time Zone',
					name: 'timeZone',
					type: 'string',
					default: '',
					placeholder: `e.g. ${config.defaultTimeZone}`,
					description: `IANA time zone of the practice's local times in the ${config.sourceName} export, converted to UTC; empty means ${config.defaultTimeZone}`,
				},
				{
					displayName: 'Work Folder',
					name: 'workDir',
					type: 'string',
					default: '',
					placeholder: 'e.g. /home/node/.n8n/migration-work',
					description:
						'Output Pages on Disk: folder for the pages (they hold patient values: kept owner-only, emptied by the next read); empty means .migration-work in the working directory of the n8n process, next to the default journal folder',
				},
			],
		},
	];
}
