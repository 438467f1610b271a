import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as iconv from 'iconv-lite';

export type Encoding = 'cp1252' | 'utf8bom' | 'utf8';

/** Writes CSV texts (rows joined with CRLF, as Windows exports do) into a fresh temporary export folder. */
export function exportFolder(
	files: Record<string, string[] | Buffer>,
	encoding: Encoding = 'cp1252',
): string {
	const folder = mkdtempSync(join(tmpdir(), 'dentadmin-'));
	for (const [name, content] of Object.entries(files)) {
		const path = join(folder, name);
		mkdirSync(dirname(path), { recursive: true });
		if (Buffer.isBuffer(content)) {
			writeFileSync(path, content);
			continue;
		}
		const text = content.join('\r\n') + '\r\n';
		const bytes =
			encoding === 'cp1252'
				? iconv.encode(text, 'win1252')
				: Buffer.from(encoding === 'utf8bom' ? `\ufeff${text}` : text, 'utf8');
		writeFileSync(path, bytes);
	}
	return folder;
}
