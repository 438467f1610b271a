import { compile } from 'html-to-text';
import * as iconv from 'iconv-lite';

/**
 * Shared by both readers (moved here from lib/sources/dentadmin/richText.ts so Dental-Exec notes
 * use the same flattening; that file should now re-export this one).
 *
 * Note text arrives as plain text, RTF (from the practice software's editor) or HTML (from
 * web forms). Pipedrive notes get plain text; the Note keeps which format it was.
 */
export type TextFormat = 'plain' | 'html' | 'rtf';

export function detectTextFormat(text: string): TextFormat {
	if (/^\s*\{\\rtf/.test(text)) return 'rtf';
	if (
		/<\/?(p|br|div|span|b|i|u|strong|em|ul|ol|li|table|tr|td|h[1-6]|font|html|body)\b[^>]*>/i.test(
			text,
		)
	) {
		return 'html';
	}
	return 'plain';
}

export function flattenRichText(text: string): { text: string; format: TextFormat } {
	const format = detectTextFormat(text);
	if (format === 'rtf') return { text: flattenRtf(text), format };
	if (format === 'html') return { text: flattenHtml(text), format };
	return { text, format };
}

/** Compiled once: html-to-text's `convert` would rebuild its selectors for every note. */
const htmlToText = compile({
	wordwrap: false,
	selectors: [
		{ selector: 'a', options: { ignoreHref: true } },
		{ selector: 'img', format: 'skip' },
		{ selector: 'ul', options: { itemPrefix: '- ' } },
	],
});

export function flattenHtml(html: string): string {
	return htmlToText(html).trim();
}

/** Destinations whose content is metadata, not text (font and colour tables, pictures, …). */
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
 * Control words that stand for text. Word processors write typographic quotes, dashes and bullets
 * this way (`don\rquote t`), and table cells and rows as `\cell`/`\row`; dropping them would
 * change what the note says.
 */
const CONTROL_WORD_TEXT: Readonly<Record<string, string>> = {
	par: '\n',
	line: '\n',
	sect: '\n',
	page: '\n',
	row: '\n',
	tab: '\t',
	cell: '\t',
	lquote: '\u2018',
	rquote: '\u2019',
	ldblquote: '\u201c',
	rdblquote: '\u201d',
	emdash: '\u2014',
	endash: '\u2013',
	bullet: '\u2022',
	emspace: '\u2003',
	enspace: '\u2002',
	qmspace: '\u2005',
};

/** `\'xx` bytes as Windows-1252 text, decoded once. */
const WINDOWS_1252 = Array.from({ length: 256 }, (_, byte) =>
	iconv.decode(Buffer.from([byte]), 'win1252'),
);
/** A control word with its optional number and the one space that ends it, read where it is. */
const CONTROL_WORD = /([a-zA-Z]+)(-?\d+)? ?/y;
/** The characters that end a run of plain text. */
const RTF_SPECIAL = /[{}\\\r\n]/g;

/**
 * A small RTF reader: follows groups, drops metadata destinations and `\*` groups, turns
 * the control words of CONTROL_WORD_TEXT into their text, decodes `\'xx` as Windows-1252 and
 * `\uN` as Unicode (skipping the `\ucN` fallback characters that follow it). Plain text between
 * control characters is taken a run at a time, not a character at a time (notes are mostly text).
 */
export function flattenRtf(rtf: string): string {
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
			RTF_SPECIAL.lastIndex = i;
			const end = RTF_SPECIAL.exec(rtf)?.index ?? rtf.length;
			// Fallback characters of a `\uN` are skipped one by one, the rest of the run kept.
			const skipped = state.skip ? 0 : Math.min(fallbackToSkip, end - i);
			fallbackToSkip -= skipped;
			if (!state.skip) out += rtf.slice(i + skipped, end);
			i = end;
			continue;
		}
		const next = rtf[i + 1];
		if (next === "'") {
			const byte = parseInt(rtf.slice(i + 2, i + 4), 16);
			emit(Number.isNaN(byte) ? '' : WINDOWS_1252[byte & 255]);
			i += 4;
			continue;
		}
		if (next === '\\' || next === '{' || next === '}') {
			emit(next);
			i += 2;
			continue;
		}
		if (next === '~' || next === '_') {
			// Non-breaking space and non-breaking hyphen.
			emit(next === '~' ? '\u00a0' : '\u2011');
			i += 2;
			continue;
		}
		if (next === '\n' || next === '\r') {
			emit('\n');
			i += 2;
			continue;
		}
		CONTROL_WORD.lastIndex = i + 1;
		const word = CONTROL_WORD.exec(rtf);
		if (!word) {
			// A control symbol we do not render (`\-`, `\_`, `\*` outside a group start, …).
			i += 2;
			continue;
		}
		i += 1 + word[0].length;
		const [, name, param] = word;
		if (SKIPPED_DESTINATIONS.has(name)) {
			state.skip = true;
		} else if (Object.hasOwn(CONTROL_WORD_TEXT, name)) {
			emit(CONTROL_WORD_TEXT[name]);
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
