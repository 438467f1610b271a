import type { IExecuteFunctions } from 'n8n-workflow';

/** A report (HTML page, CSV, JSON) as n8n binary data, so the editor can show or download it. */
export async function reportFile(
	context: IExecuteFunctions,
	text: string,
	fileName: string,
	mimeType: string,
) {
	return await context.helpers.prepareBinaryData(Buffer.from(text, 'utf8'), fileName, mimeType);
}
