import type { Money } from '../../model';

/**
 * Exact decimal sums of money (never float arithmetic), for deal values made of several
 * treatments. Amounts in different currencies are not added: the caller gets undefined.
 */
export function sumMoney(amounts: Money[]): Money | undefined {
	if (amounts.length === 0) return undefined;
	const currency = amounts[0].currency;
	if (amounts.some((amount) => amount.currency !== currency)) return undefined;
	const scale = Math.max(...amounts.map((amount) => (amount.amount.split('.')[1] ?? '').length));
	const total = amounts.reduce((sum, amount) => sum + toScaled(amount.amount, scale), 0n);
	return { amount: fromScaled(total, scale), currency };
}

function toScaled(amount: string, scale: number): bigint {
	const negative = amount.startsWith('-');
	const [whole, fraction = ''] = amount.replace('-', '').split('.');
	const scaled = BigInt(whole + fraction.padEnd(scale, '0'));
	return negative ? -scaled : scaled;
}

function fromScaled(value: bigint, scale: number): string {
	const negative = value < 0n;
	const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
	const whole = digits.slice(0, digits.length - scale);
	const fraction = digits.slice(digits.length - scale);
	return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

export function compareAmounts(a: Money, b: Money): number {
	const scale = Math.max(
		(a.amount.split('.')[1] ?? '').length,
		(b.amount.split('.')[1] ?? '').length,
	);
	const diff = toScaled(a.amount, scale) - toScaled(b.amount, scale);
	return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}
