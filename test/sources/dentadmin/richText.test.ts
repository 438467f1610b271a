import {
	detectTextFormat,
	flattenRichText,
	flattenRtf,
} from '../../../lib/sources/dentadmin/richText';

describe('rich note text', () => {
	it('detects the format', () => {
		expect(detectTextFormat('{\\rtf1\\ansi hello}')).toBe('rtf');
		expect(detectTextFormat('<p>Controle</p>')).toBe('html');
		expect(detectTextFormat('Controle over 6 maanden, a < b')).toBe('plain');
	});

	it('flattens RTF: font tables dropped, paragraphs kept, cp1252 and unicode escapes decoded', () => {
		const rtf =
			'{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red0\\green0\\blue0;}' +
			"{\\*\\generator Msftedit 5.41;}\\viewkind4\\uc1\\pard\\f0\\fs20 Pati\\'ebnt klaagt over {\\b gevoelige} tand 36.\\par\n" +
			"Pr\\u233?vu: contr\\u244?le \\'e0 6 mois\\tab OK\\par\n" +
			'Accolade \\{ et backslash \\\\\\par}';
		expect(flattenRtf(rtf)).toBe(
			'Patiënt klaagt over gevoelige tand 36.\nPrévu: contrôle à 6 mois\tOK\nAccolade { et backslash \\',
		);
	});

	it('skips the fallback character after \\uN as \\ucN says', () => {
		expect(flattenRtf("{\\rtf1\\uc1 Fran\\u231\\'e7ois}")).toBe('François');
		expect(flattenRtf('{\\rtf1\\uc2 x\\u8364 ab y}')).toBe('x€ y');
		expect(flattenRtf('{\\rtf1 \\u-10179?\\u-8704?}')).toBe('\u{1F600}'.normalize());
	});

	it('flattens HTML to plain text and reports the format', () => {
		expect(
			flattenRichText(
				'<p>Controle <b>OK</b></p><ul><li>Tand 11</li><li>Tand 21</li></ul><p>Zie&nbsp;foto</p>',
			),
		).toEqual({ text: 'Controle OK\n\n- Tand 11\n- Tand 21\n\nZie\u00a0foto', format: 'html' });
		expect(flattenRichText('gewone tekst\nregel 2')).toEqual({
			text: 'gewone tekst\nregel 2',
			format: 'plain',
		});
	});
});
