/**
 * How a source writes amounts: `dot` is `1234.56` / `$1,234.56` (US), `comma` is `1234,56` /
 * `1.234,56` (Belgium). Thousands separators must group digits by three, so `1.234.56` is invalid
 * rather than silently read as 123456.
 */
export type MoneyStyle = 'dot' | 'comma';

const CURRENCY_MARKS = /^[$€£]|[$€£]$|^(USD|EUR|GBP)\s*|\s*(USD|EUR|GBP)$/gi;

/** Thousands grouped by three, or plain digits; then the decimals. Built once per style. */
const AMOUNT: Record<MoneyStyle, { thousands: string; decimal: string; pattern: RegExp }> = {
	dot: { thousands: ',', decimal: '.', pattern: /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/ },
	comma: { thousands: '.', decimal: ',', pattern: /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/ },
};

/**
 * Most cells are bare digits with the style's decimal mark (`0.00`, `125.50`, `85`): read by
 * character code, as the pattern below reads them. Undefined for anything else (signs, marks,
 * thousands, spaces), which the general path handles.
 */
function plainAmount(raw: string, decimalCode: number): string | undefined {
	const length = raw.length;
	let mark = -1;
	for (let at = 0; at < length; at += 1) {
		const code = raw.charCodeAt(at);
		if (code >= 48 && code <= 57) continue;
		if (code !== decimalCode || mark >= 0 || at === 0 || at === length - 1) return undefined;
		mark = at;
	}
	if (length === 0) return undefined;
	const wholeEnd = mark < 0 ? length : mark;
	let zeros = 0;
	while (zeros < wholeEnd - 1 && raw.charCodeAt(zeros) === 48) zeros += 1;
	return zeros === 0 ? raw : raw.slice(zeros);
}

/** The amount as an exact decimal string (`-1234.56`), or null when the cell is not money. */
export function parseAmount(raw: string, style: MoneyStyle): string | null {
	const { thousands, decimal, pattern } = AMOUNT[style];
	const plain = plainAmount(raw, decimal.charCodeAt(0));
	if (plain !== undefined) return plain.replace(decimal, '.');
	let value = raw.trim().replace(/\s+/g, '');
	let negative = false;
	if (value.startsWith('(') && value.endsWith(')')) {
		negative = true;
		value = value.slice(1, -1);
	}
	if (value.startsWith('-')) {
		negative = !negative;
		value = value.slice(1);
	}
	value = value.replace(CURRENCY_MARKS, '');
	if (value.startsWith('-')) {
		negative = !negative;
		value = value.slice(1);
	}
	const match = pattern.exec(value);
	if (!match) return null;
	const whole = match[1]
		.split(thousands)
		.join('')
		.replace(/^0+(?=\d)/, '');
	const amount = match[2] === undefined ? whole : `${whole}.${match[2]}`;
	return negative && /[1-9]/.test(amount) ? `-${amount}` : amount;
}
