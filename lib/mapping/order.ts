/** Code-unit order: the same in every process and locale (`localeCompare` is not). */
export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
