import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import { flattenRtf } from '../../../lib/sources/common/richText';

const SKIPPED_DESTINATIONS = new Set([
	'fonttbl',
	'colortbl',
	'stylesheet',
	'info',
	'pict',
	'object',
	'header',
	'footer',
	'generator',
	'listtable',
	'listoverridetable',
	'themedata',
	'colorschememapping',
	'latentstyles',
	'datastore',
	'xmlnstbl',
	'rsidtbl',
]);

/**
 * A small RTF reader: follows groups, drops metadata destinations and `\*` groups, turns
 * `\par`/`\line` into newlines and `\tab` into a tab, decodes `\'xx` as Windows-1252 and
 * `\uN` as Unicode (skipping the `\ucN` fallback characters that follow it).
 */
function referenceFlattenRtf(rtf: string): string {
	let out = '';
	const stack: { skip: boolean; uc: number }[] = [];
	let state = { skip: false, uc: 1 };
	let fallbackToSkip = 0;
	let i = 0;
	const emit = (s: string) => {
		if (state.skip) return;
		if (fallbackToSkip > 0) {
			fallbackToSkip -= 1;
			return;
		}
		out += s;
	};
	while (i < rtf.length) {
		const c = rtf[i];
		if (c === '{') {
			stack.push(state);
			state = { ...state };
			i += 1;
			// `{\*\dest ...}` marks a destination a reader may ignore.
			if (rtf.startsWith('\\*', i)) state.skip = true;
			continue;
		}
		if (c === '}') {
			state = stack.pop() ?? { skip: false, uc: 1 };
			i += 1;
			continue;
		}
		if (c === '\r' || c === '\n') {
			i += 1;
			continue;
		}
		if (c !== '\\') {
			emit(c);
			i += 1;
			continue;
		}
		const next = rtf[i + 1];
		if (next === "'") {
			const byte = parseInt(rtf.slice(i + 2, i + 4), 16);
			emit(Number.isNaN(byte) ? '' : iconv.decode(Buffer.from([byte]), 'win1252'));
			i += 4;
			continue;
		}
		if (next === '\\' || next === '{' || next === '}') {
			emit(next);
			i += 2;
			continue;
		}
		if (next === '~') {
			emit('\u00a0');
			i += 2;
			continue;
		}
		if (next === '\n' || next === '\r') {
			emit('\n');
			i += 2;
			continue;
		}
		const word = /^([a-zA-Z]+)(-?\d+)? ?/.exec(rtf.slice(i + 1));
		if (!word) {
			// A control symbol we do not render (`\-`, `\_`, `\*` outside a group start, …).
			i += 2;
			continue;
		}
		i += 1 + word[0].length;
		const [, name, param] = word;
		if (SKIPPED_DESTINATIONS.has(name)) {
			state.skip = true;
		} else if (name === 'par' || name === 'line') {
			emit('\n');
		} else if (name === 'tab') {
			emit('\t');
		} else if (name === 'uc' && param !== undefined) {
			state.uc = Number(param);
		} else if (name === 'u' && param !== undefined) {
			// Negative values are 16-bit signed code units.
			const unit = Number(param) < 0 ? Number(param) + 65536 : Number(param);
			emit(String.fromCharCode(unit));
			fallbackToSkip = state.uc;
		} else if (name === 'bin' && param !== undefined) {
			i += Number(param);
		}
	}
	return out
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

describe('flattenRtf', () => {
	it('keeps the quotes, dashes, bullets and table cells a word processor writes as control words', () => {
		// As WordPad and Word write them; the expected text is read off the RTF by hand.
		const rtf =
			"{\\rtf1\\ansi{\\fonttbl{\\f0 Calibri;}}\\f0 Pati\\'ebnt zegt \\ldblquote geen pijn\\rdblquote  \\emdash  " +
			'controle 3\\endash 6 mnd.\\par {\\pntext\\bullet\\tab}fluor\\par ' +
			'\\trowd\\cellx1000\\cellx2000 Tand\\cell Behandeling\\cell\\row ' +
			'\\trowd\\cellx1000\\cellx2000 16\\cell vulling\\cell\\row 14\\_15\\~ok}';
		expect(flattenRtf(rtf)).toBe(
			'Patiënt zegt \u201cgeen pijn\u201d \u2014 controle 3\u20136 mnd.\n' +
				'\u2022\tfluor\n' +
				'Tand\tBehandeling\n' +
				'16\tvulling\n' +
				'14\u201115\u00a0ok',
		);
	});

	it('reads notes as the character-by-character reader did (kept above as the reference)', () => {
		const piece = fc.oneof(
			fc.constantFrom('{', '}', '{\\*', '\\par ', '\\line', '\\tab ', "\\'e9", "\\'-1", "\\'zz"),
			fc.constantFrom('\\u233?', '\\u-10179?', '\\uc2 ', '\\uc0', '\\fonttbl ', '\\bin3 ', '\\~'),
			fc.constantFrom('\\\\', '\\{', '\\}', '\\\n', '\\-', '\r\n', '\n', ' \n', '\\b0 ', '\\rtf1 '),
			fc.stringMatching(/^[a-zA-Z0-9 é?-]{0,8}$/),
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
				const rtf = pieces.join('');
				expect(flattenRtf(rtf)).toBe(referenceFlattenRtf(rtf));
			}),
			{ numRuns: 2000 },
		);
	});
});
