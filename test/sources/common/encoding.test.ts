import * as iconv from 'iconv-lite';
import { decode, detectEncoding } from '../../../lib/sources/common/encoding';

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAs(bytes: Buffer, size = 1024): Promise<{ name: string; text: string }> {
	const verdict = await detectEncoding(chunks(bytes, size));
	let text = '';
	for await (const part of decode(chunks(bytes, size), verdict)) text += part;
	return { name: verdict.name, text };
}

const accented = 'Nom;Prénom;Rue\nDupont;Hélène;Rue de l’Église\nMüller;Zoë;Straße 5\n';

describe('encoding detection', () => {
	it('reads UTF-8 without BOM with accents as UTF-8, even when a character is split across chunks', async () => {
		for (const size of [1, 2, 3, 7, 4096]) {
			expect(await readAs(Buffer.from(accented, 'utf8'), size)).toEqual({
				name: 'utf-8',
				text: accented,
			});
		}
	});

	it('reads UTF-8 with a BOM and drops the BOM', async () => {
		const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(accented, 'utf8')]);
		expect(await readAs(bytes)).toEqual({ name: 'utf-8-bom', text: accented });
	});

	it('reads Windows-1252 with accents as Windows-1252, never as UTF-8', async () => {
		const text = accented.replace('’', "'");
		expect(await readAs(iconv.encode(text, 'win1252'))).toEqual({ name: 'windows-1252', text });
	});

	it('reads Windows-1252 specials (euro sign, curly quotes) correctly', async () => {
		const text = 'Label\n“Café” 5 €\n';
		expect(await readAs(iconv.encode(text, 'win1252'))).toEqual({ name: 'windows-1252', text });
	});

	it('keeps a mostly UTF-8 file with one broken byte as UTF-8 and marks the broken byte', async () => {
		const bytes = Buffer.concat([
			Buffer.from('Nom\nHélène\nZoë\nRené\n', 'utf8'),
			Buffer.from([0x41, 0xff, 0x0a]),
		]);
		expect(await readAs(bytes)).toEqual({
			name: 'utf-8',
			text: 'Nom\nHélène\nZoë\nRené\nA\ufffd\n',
		});
	});

	it('marks bytes undefined in Windows-1252 with the replacement character', async () => {
		const bytes = Buffer.from([
			0x4e, 0x6f, 0x6d, 0x0a, 0x52, 0x65, 0x6e, 0xe9, 0x0a, 0x41, 0x81, 0x42, 0x0a,
		]);
		expect(await readAs(bytes)).toEqual({ name: 'windows-1252', text: 'Nom\nRené\nA\ufffdB\n' });
	});

	it('treats ASCII-only and empty files as UTF-8', async () => {
		expect(await readAs(Buffer.from('a,b\n1,2\n'))).toEqual({ name: 'utf-8', text: 'a,b\n1,2\n' });
		expect(await readAs(Buffer.alloc(0))).toEqual({ name: 'utf-8', text: '' });
	});
});
