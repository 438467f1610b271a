import type { ReadResult } from '../../../lib/sources/common';

/**
 * `origin` (file name and line) necessarily differs between a Dutch and a French export, and a
 * provider's `roleLabel` keeps the source's own word (`Tandarts` / `Dentiste`) by design: both are
 * left out of the comparison. Documents' resolved paths are compared relative to the export
 * folder. Everything else must be identical.
 */
export function comparable(
	result: ReadResult,
	exportFolder: string,
	without: readonly string[] = [],
) {
	const strip = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(strip);
		if (value === null || typeof value !== 'object') return value;
		return Object.fromEntries(
			Object.entries(value)
				.filter(
					([name, inner]) =>
						!['origin', 'roleLabel', ...without].includes(name) && inner !== undefined,
				)
				.map(([name, inner]) => [
					name,
					name === 'resolvedPath' ? String(inner).replace(exportFolder, '<export>') : strip(inner),
				]),
		);
	};
	return { bundles: strip(result.bundles), references: strip(result.references) };
}
