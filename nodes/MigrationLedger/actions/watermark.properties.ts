import type { INodeProperties } from 'n8n-workflow';

/** Shared by Get and Advance Watermark (same name, so the value survives switching). */
export const watermarkNameProperty: INodeProperties = {
	displayName: 'Watermark Name',
	name: 'watermarkName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. dental-exec:patient',
	description: 'Source and entity the watermark tracks, as source:entity',
};
