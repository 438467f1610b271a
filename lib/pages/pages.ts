import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PatientBundle, ReferenceEntity } from '../model';
import type { Plan } from '../plan/plan';
import { readSpoolPage } from '../sources/common';

/**
 * The files a streamed migration passes between its nodes, so n8n's items stay small whatever
 * the export's size: the reader's spool holds the pages of bundles (`lib/sources/common/spool.ts`);
 * next to them the reader writes the reference entities, and Transform each page's plans. Every
 * file holds patient values, so it is owner-only, like the spool folder it sits in.
 */

/** One page of a streamed read: the reader's item for it. Page 0 also carries the references. */
export interface SpoolPageItem {
	kind: 'page';
	dir: string;
	page: number;
	bundles: number;
	/** Reference entities planned with this page (page 0 only; 0 on the others). */
	references: number;
}

/** Transform's item for one page: where its plans are and how many. */
export interface PlanPageItem {
	kind: 'planPage';
	dir: string;
	page: number;
	file: string;
	bundles: number;
	plans: number;
}

export const isSpoolPageItem = (json: Record<string, unknown> | null | undefined): boolean =>
	json?.kind === 'page' && typeof json.dir === 'string' && Number.isInteger(json.page);

export const isPlanPageItem = (json: Record<string, unknown> | null | undefined): boolean =>
	json?.kind === 'planPage' && typeof json.file === 'string';

const ndjson = (values: readonly unknown[]) => values.map((v) => `${JSON.stringify(v)}\n`).join('');
const parseNdjson = <T>(file: string): T[] =>
	readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line) as T);

const referencesFile = (dir: string) => join(dir, 'references.ndjson');

export function writeReferences(dir: string, references: readonly ReferenceEntity[]): void {
	writeFileSync(referencesFile(dir), ndjson(references), { mode: 0o600 });
}

export function readReferences(dir: string): ReferenceEntity[] {
	return parseNdjson<ReferenceEntity>(referencesFile(dir));
}

/** Writes a page's plans next to its bundles and says where. */
export function writePlanPage(dir: string, page: number, plans: readonly Plan[]): string {
	const file = join(dir, `plans-${String(page).padStart(6, '0')}.ndjson`);
	writeFileSync(file, ndjson(plans), { mode: 0o600 });
	return file;
}

export function readPlanPage(file: string): Plan[] {
	return parseNdjson<Plan>(file);
}

/**
 * The reader's items with each page item replaced by its bundles from the spool: the records an
 * unpaged read gives, for consumers that need them all at once (the whole export in memory).
 */
export function withPageBundles<T extends Record<string, unknown>>(
	items: readonly T[],
): Array<T | PatientBundle> {
	return items.flatMap((item): Array<T | PatientBundle> => {
		if (!isSpoolPageItem(item)) return [item];
		const page = item as unknown as SpoolPageItem;
		return page.bundles > 0 ? readSpoolPage(page.dir, page.page) : [];
	});
}
