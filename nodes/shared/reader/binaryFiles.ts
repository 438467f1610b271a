import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MemoryFile } from '../../../lib/sources/common';

/**
 * The export files among the input items' binaries: one item with a property per file, or one
 * item per file. Stored binaries are streamed on every pass instead of being loaded whole.
 */
export function binaryExportFiles(context: IExecuteFunctions, properties: string): MemoryFile[] {
	const wanted = properties
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const files: MemoryFile[] = [];
	const seen = new Set<string>();
	context.getInputData().forEach((item, itemIndex) => {
		const names =
			wanted.length > 0
				? wanted.filter((name) => item.binary?.[name] !== undefined)
				: Object.keys(item.binary ?? {});
		for (const property of names) {
			const binary = context.helpers.assertBinaryData(itemIndex, property);
			const name = binary.fileName ?? property;
			if (seen.has(name.toLowerCase())) {
				throw new NodeOperationError(context.getNode(), `Two input files are named ${name}`, {
					itemIndex,
					description:
						'Pass each export file once; the reader matches files by name, ignoring case.',
				});
			}
			seen.add(name.toLowerCase());
			const { id } = binary;
			files.push({
				name,
				content: id ? () => streamOf(context, id) : Buffer.from(binary.data, 'base64'),
			});
		}
	});
	if (files.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No export files arrived as binary data', {
			description:
				wanted.length > 0
					? `None of the input items has the binary properties ${wanted.join(', ')}.`
					: 'Connect a node that outputs the export files, e.g. Read/Write Files from Disk.',
		});
	}
	return files;
}

async function* streamOf(context: IExecuteFunctions, id: string): AsyncGenerator<Buffer> {
	for await (const chunk of await context.helpers.getBinaryStream(id)) yield chunk as Buffer;
}
