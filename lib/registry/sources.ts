import { SourceSystem } from '../model/primitives';
import type { MappingSpec } from '../mapping/spec';
import { dentAdminDefaultSpec } from '../mapping/defaults/dentAdmin';
import { dentalExecDefaultSpec } from '../mapping/defaults/dentalExec';
import { sourceProfiles, sourceReaders, type SourceProfile, type SourceReader } from '../sources';

/**
 * The one list of the source systems this package migrates from. Everything that varies by
 * source — the reader, the export layout, the default map, the sample size, the name people see —
 * is read from here. A third source is one entry here plus its reader; the record type makes a
 * missing entry a compile error, and an unknown id an error, never another source's default.
 */
export interface SourceDefinition {
	id: SourceSystem;
	displayName: string;
	read: SourceReader;
	profile: () => SourceProfile;
	defaultSpec: (today: string) => MappingSpec;
	/** Patients in the step-4 sample (mapping brief: Dental-Exec 100–300, DentAdmin ~50). */
	sampleSize: number;
}

export const SOURCES: Record<SourceSystem, SourceDefinition> = {
	'dental-exec': {
		id: 'dental-exec',
		displayName: 'Dental-Exec',
		read: sourceReaders['dental-exec'],
		profile: sourceProfiles['dental-exec'],
		defaultSpec: dentalExecDefaultSpec,
		sampleSize: 200,
	},
	dentadmin: {
		id: 'dentadmin',
		displayName: 'DentAdmin',
		read: sourceReaders.dentadmin,
		profile: sourceProfiles.dentadmin,
		defaultSpec: dentAdminDefaultSpec,
		sampleSize: 50,
	},
};

export function sourceDefinition(id: string): SourceDefinition {
	const parsed = SourceSystem.safeParse(id);
	if (!parsed.success)
		throw new Error(
			`"${id}" is not a source this package reads: use one of ${SourceSystem.options.join(', ')}`,
		);
	return SOURCES[parsed.data];
}

/** The source choice of a node's parameter list, in registry order. */
export const SOURCE_OPTIONS = Object.values(SOURCES).map((source) => ({
	name: source.displayName,
	value: source.id,
}));
