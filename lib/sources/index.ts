/**
 * The sources this package reads, by source system: each one is its reader entry point. Read an
 * export through `sourceReaders` rather than `readExport(profile, …)`, so it comes out as the
 * source's reader node outputs it (DentAdmin adds the practice, insurers that patients use but
 * the insurer file lacks, and the export's own file names in the report).
 */
import type { SourceSystem } from '../model';
import {
	readExport,
	type ExportSource,
	type ReadOptions,
	type ReadResult,
	type SourceProfile,
} from './common';
import { dentalExecProfile } from './dental-exec';
import { dentAdminProfile, readDentAdminExport } from './dentadmin';

/** A source's reader: the common driver with the source's profile, plus anything it adds. */
export type SourceReader = (source: ExportSource, options?: ReadOptions) => Promise<ReadResult>;

export const sourceReaders: Record<SourceSystem, SourceReader> = {
	'dental-exec': (source, options) => readExport(dentalExecProfile, source, options),
	dentadmin: readDentAdminExport,
};

export * from './common';
export { dentalExecProfile } from './dental-exec';

/** Each source's export layout (files, columns, headers), for tools that read the export's raw text. */
export const sourceProfiles: Record<SourceSystem, () => SourceProfile> = {
	'dental-exec': () => dentalExecProfile,
	dentadmin: () => dentAdminProfile(),
};
