import { parseAmount } from '../../../lib/sources/common/money';

describe('parseAmount', () => {
	it.each([
		['1234.56', 'dot', '1234.56'],
		['$1,234.56', 'dot', '1234.56'],
		['$ 1,234,567.5', 'dot', '1234567.5'],
		['-$12.00', 'dot', '-12.00'],
		['($12.00)', 'dot', '-12.00'],
		['0', 'dot', '0'],
		['007.50', 'dot', '7.50'],
		['1.234,56', 'comma', '1234.56'],
		['1234,56', 'comma', '1234.56'],
		['€ 1.234', 'comma', '1234'],
		['-0,50', 'comma', '-0.50'],
		// Bare digits and the style's mark (read by character code): leading zeros go, one stays.
		['00', 'dot', '0'],
		['0.50', 'dot', '0.50'],
		['0012,50', 'comma', '12.50'],
		['85', 'comma', '85'],
	] as const)('%s (%s) is %s', (raw, style, expected) => {
		expect(parseAmount(raw, style)).toBe(expected);
	});

	it.each([
		['1.234.56', 'dot'],
		['12,34.56', 'dot'],
		['twelve', 'dot'],
		['1,234.56', 'comma'],
		['1.23,4', 'comma'],
		['', 'dot'],
		['$', 'dot'],
		['5.', 'dot'],
		['.5', 'dot'],
		['1..2', 'dot'],
		['12.50', 'comma'],
	] as const)('%s (%s) is not money', (raw, style) => {
		expect(parseAmount(raw, style)).toBeNull();
	});
});
