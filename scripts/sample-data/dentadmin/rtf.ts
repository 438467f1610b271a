import * as iconv from 'iconv-lite';

/**
 * Wraps lines in a minimal RTF document as a Windows rich-text editor writes it: font and colour
 * tables, `\par` per line, characters outside ASCII as `\'xx` Windows-1252 escapes (and `\uN?`
 * for the euro sign, as Word does).
 */
export function rtfDocument(lines: readonly string[]): string {
	const body = lines.map((line) => `${escape(line)}\\par`).join('\r\n');
	return (
		'{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}' +
		'{\\colortbl ;\\red0\\green0\\blue0;}{\\*\\generator DentAdmin;}\\viewkind4\\uc1\\pard\\f0\\fs20 ' +
		body +
		'}'
	);
}

function escape(text: string): string {
	let out = '';
	for (const char of text) {
		if (char === '\\' || char === '{' || char === '}') out += `\\${char}`;
		else if (char === '€') out += '\\u8364?';
		else if (char.charCodeAt(0) < 128) out += char;
		else out += `\\'${iconv.encode(char, 'win1252')[0].toString(16)}`;
	}
	return out;
}
