import { Readable } from 'node:stream';

import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A report (HTML page, CSV, JSON) as n8n binary data, so the editor can show or download it.
 * Text given in chunks is streamed: n8n 2.x keeps binary data on disk by default
 * (filesystem mode), so a whole migration's audit log never sits in memory as one string.
 */
export async function reportFile(
	context: IExecuteFunctions,
	text: string | AsyncIterable<string>,
	fileName: string,
	mimeType: string,
) {
	const data =
		typeof text === 'string' ? Buffer.from(text, 'utf8') : Readable.from(utf8Buffers(text));
	return await context.helpers.prepareBinaryData(data, fileName, mimeType);
}

/** Buffers, not strings: n8n's memory mode concatenates the stream's chunks as Buffers. */
async function* utf8Buffers(chunks: AsyncIterable<string>): AsyncGenerator<Buffer> {
	for await (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
}
