/**
 * How a source writes amounts: `dot` is `1234.56` / `$1,234.56` (US), `comma` is `1234,56` /
 * `1.234,56` (Belgium). Thousands separators must group digits by three, so `1.234.56` is invalid
 * rather than silently read as 123456.
 */
export type MoneyStyle = 'dot' | 'comma';

const CURRENCY_MARKS = /^[$€£]|[$€£]$|^(USD|EUR|GBP)\s*|\s*(USD|EUR|GBP)$/gi;

/** The amount as an exact decimal string (`-1234.56`), or null when the cell is not money. */
export function parseAmount(raw: string, style: MoneyStyle): string | null {
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
	const [thousands, decimal] = style === 'dot' ? [',', '.'] : ['.', ','];
	const pattern = new RegExp(`^(\\d{1,3}(?:\\${thousands}\\d{3})+|\\d+)(?:\\${decimal}(\\d+))?$`);
	const match = pattern.exec(value);
	if (!match) return null;
	const whole = match[1]
		.split(thousands)
		.join('')
		.replace(/^0+(?=\d)/, '');
	const amount = match[2] === undefined ? whole : `${whole}.${match[2]}`;
	return negative && /[1-9]/.test(amount) ? `-${amount}` : amount;
}
