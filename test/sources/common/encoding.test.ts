import * as iconv from 'iconv-lite';
import { decode, decodeCell, detectEncoding } from '../../../lib/sources/common/encoding';

/** The escape decode() keeps an unreadable byte as (a plane-16 private-use character per byte). */
const kept = (byte: number) => String.fromCodePoint(0x10ff00 + byte);
const UTF8 = { name: 'utf-8', codec: 'utf8' };
const WINDOWS_1252 = { name: 'windows-1252', codec: 'win1252' };

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

	it('keeps a mostly UTF-8 file with one broken byte as UTF-8 and keeps the broken byte', async () => {
		const bytes = Buffer.concat([
			Buffer.from('Nom\nHélène\nZoë\nRené\n', 'utf8'),
			Buffer.from([0x41, 0xff, 0x0a]),
		]);
		for (const size of [1, 2, 3, 4096]) {
			expect(await readAs(bytes, size)).toEqual({
				name: 'utf-8',
				text: `Nom\nHélène\nZoë\nRené\nA${kept(0xff)}\n`,
			});
		}
	});

	it('keeps bytes undefined in Windows-1252', async () => {
		const bytes = Buffer.from([
			0x4e, 0x6f, 0x6d, 0x0a, 0x52, 0x65, 0x6e, 0xe9, 0x0a, 0x41, 0x81, 0x42, 0x0a,
		]);
		expect(await readAs(bytes)).toEqual({
			name: 'windows-1252',
			text: `Nom\nRené\nA${kept(0x81)}B\n`,
		});
	});
});

describe('a cell in the other encoding of its file', () => {
	it('reads UTF-8 bytes in a Windows-1252 file as UTF-8, also those holding bytes Windows-1252 leaves undefined', () => {
		// "Émile Ágota Ðuro" in UTF-8 (Á is C3 81, Ð is C3 90: 0x81 and 0x90 have no Windows-1252 character).
		const bytes = Buffer.from('Émile Ágota Ðuro', 'utf8');
		const asWindows1252 = Array.from(bytes, (byte) =>
			[0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(byte)
				? kept(byte)
				: iconv.decode(Buffer.from([byte]), 'win1252'),
		).join('');
		expect(decodeCell(asWindows1252, WINDOWS_1252)).toEqual({
			text: 'Émile Ágota Ðuro',
			finding: 'utf-8-in-windows-1252',
		});
	});

	it('reads Windows-1252 bytes in a UTF-8 file as Windows-1252, next to real UTF-8 in the same cell', () => {
		// "Zoë" written by a UTF-8 editor, then "René" with é as the single byte E9.
		expect(decodeCell(`Zoë René`.replace('é', kept(0xe9)), UTF8)).toEqual({
			text: 'Zoë René',
			finding: 'windows-1252-in-utf-8',
		});
	});

	// Why a Windows-1252 file's verdict does not win for such a cell: its bytes are UTF-8 either
	// because the row was saved by a UTF-8 program, or because the source system holds the text
	// double-encoded ("é" stored as "Ã©", bytes C3 A9); UTF-8 is what was meant in both. Real
	// Windows-1252 text is UTF-8 only when every accented character of the cell is a capital or ß
	// (C2–DF) followed by a symbol (80–BF), or a small letter (E0–F4) by two, which names and notes
	// hardly ever are; the reader warns for every such cell (cell-encoding-mixed, with file, line
	// and column), so it is not silent.
	it('reads "Ã©" in a Windows-1252 file as the "é" its bytes C3 A9 are in UTF-8, with the finding', () => {
		expect(decodeCell('RenÃ©e', WINDOWS_1252)).toEqual({
			text: 'Renée',
			finding: 'utf-8-in-windows-1252',
		});
	});

	it('keeps the Windows-1252 reading when one byte of the cell is not UTF-8, even if another pair is', () => {
		// „heiß“: 84 … DF 93; DF 93 alone would be UTF-8 (U+07D3), the lone 84 is not.
		expect(decodeCell('„heiß“', WINDOWS_1252)).toEqual({ text: '„heiß“' });
	});

	it('reads the rare Windows-1252 text that is also UTF-8 as UTF-8, always with the finding to check it', () => {
		// "DUPRÉ" and a no-break space: C9 A0, which UTF-8 reads as "ɠ" (U+0260). Known trade-off.
		expect(decodeCell('DUPRÉ\u00a0', WINDOWS_1252)).toEqual({
			text: 'DUPR\u0260',
			finding: 'utf-8-in-windows-1252',
		});
	});

	it('leaves ordinary cells alone and calls bytes no encoding reads undecodable', () => {
		expect(decodeCell('Café “5 €”', WINDOWS_1252)).toEqual({ text: 'Café “5 €”' });
		expect(decodeCell('Zoë', UTF8)).toEqual({ text: 'Zoë' });
		expect(decodeCell(`A${kept(0x81)}B`, UTF8).finding).toBe('undecodable');
		expect(decodeCell(`A${kept(0x81)}B`, WINDOWS_1252).finding).toBe('undecodable');
	});

	it('treats ASCII-only and empty files as UTF-8', async () => {
		expect(await readAs(Buffer.from('a,b\n1,2\n'))).toEqual({ name: 'utf-8', text: 'a,b\n1,2\n' });
		expect(await readAs(Buffer.alloc(0))).toEqual({ name: 'utf-8', text: '' });
	});
});
