/**
 * The source profiles this package reads, by source system. The DentAdmin reader adds its
 * profile here (`dentadmin: dentAdminProfile`).
 */
import type { SourceSystem } from '../model';
import type { SourceProfile } from './common';
import { dentalExecProfile } from './dental-exec';

export const sourceProfiles: Partial<Record<SourceSystem, SourceProfile>> = {
	'dental-exec': dentalExecProfile,
};

export * from './common';
export { dentalExecProfile } from './dental-exec';
