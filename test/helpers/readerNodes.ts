import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Shared by the reader-node tests of both sources. */

/** A report's issues as `severity file:line column code` lines (never the messages' wording). */
export function issueSummary(
	report: Record<string, unknown>,
	options: { skipCodes?: string[] } = {},
): string[] {
	const skip = new Set(options.skipCodes ?? []);
	return (
		report.issues as {
			severity: string;
			file: string;
			line: number;
			column?: string;
			code: string;
		}[]
	)
		.filter((issue) => !skip.has(issue.code))
		.map(
			(issue) =>
				`${issue.severity} ${issue.file}:${issue.line} ${issue.column ?? '-'} ${issue.code}`,
		);
}

/**
 * Emits the CSV files of a folder as binary data, like Read/Write Files from Disk, in either of
 * the two shapes the readers accept: one item per file (file names upper-cased, to prove names
 * match case-insensitively), or one item with a binary property per file.
 */
export class ExportFilesFixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Export files (test)',
		name: 'exportFilesFixture',
		group: ['input'],
		version: 1,
		description: 'Test fixture',
		defaults: { name: 'Export files' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Folder', name: 'folder', type: 'string', default: '' },
			{
				displayName: 'Layout',
				name: 'layout',
				type: 'options',
				options: [
					{ name: 'Item per File', value: 'itemPerFile' },
					{ name: 'Property per File', value: 'propertyPerFile' },
				],
				default: 'itemPerFile',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const folder = this.getNodeParameter('folder', 0) as string;
		const layout = this.getNodeParameter('layout', 0) as 'itemPerFile' | 'propertyPerFile';
		const names = readdirSync(folder).filter((name) => name.endsWith('.csv'));
		if (layout === 'propertyPerFile') {
			const binary: INodeExecutionData['binary'] = {};
			for (const name of names) {
				binary[name.replace('.csv', '')] = await this.helpers.prepareBinaryData(
					readFileSync(join(folder, name)),
					name,
				);
			}
			return [[{ json: {}, binary, pairedItem: { item: 0 } }]];
		}
		const items: INodeExecutionData[] = [];
		for (const name of names) {
			const binary = await this.helpers.prepareBinaryData(
				readFileSync(join(folder, name)),
				name.toUpperCase(),
			);
			items.push({ json: { name }, binary: { data: binary }, pairedItem: { item: 0 } });
		}
		return [items];
	}
}
