import type { SourceSystem, ValidationReport } from '../../model';
import { sourceProfiles, sourceReaders } from '../../sources';
import type { ExportSource } from '../../sources/common/exportSource';
import type { SourceProfile } from '../../sources/common/profile';
import type { MappingSpec } from '../spec';
import { adviseProposal } from './advice';
import type { Advice, AdviceOptions } from './advice';
import { sampleExportColumns } from './columnSample';
import { proposeMapping } from './index';
import type { Proposal, RuleSeeds } from './index';
import type { MappingProfile } from './profiles';

/** The source's export layout, from the sources' one table (a two-way choice would hand a third source DentAdmin's). */
export function profileOf(source: SourceSystem): SourceProfile {
	return sourceProfiles[source]();
}

export interface ProposeFromExportOptions {
	today: string;
	/** The reader's report when the export was already read (the template's reader step). */
	report?: ValidationReport;
	sampleRows?: number;
	baseSpec?: MappingSpec;
	/** Rules the proposed spec starts from (`ProposeInput.rules`). */
	rules?: RuleSeeds;
	/** Saved mapping profiles (`readProfiles`): looked up first, file by file. */
	profiles?: readonly MappingProfile[];
	/** A language model for the columns left unplaced or below the threshold (`adviseProposal`). */
	advice?: AdviceOptions;
}

/**
 * Propose for an export as it lies on disk (or in memory): header samples through
 * `sampleExportColumns`, the referral pick-list through the source's reader (`sourceReaders`, so
 * the export is read as the reader node reads it), and the reader's report (read here when the
 * caller has none). An export whose headers match nothing is not an error: its missing columns
 * are in the report and the proposal names candidates for them.
 */
export async function proposeFromExport(
	source: SourceSystem,
	exportSource: ExportSource,
	options: ProposeFromExportOptions,
): Promise<Proposal & { advice?: Advice }> {
	const profile = profileOf(source);
	const read = await sourceReaders[source](exportSource, {
		failOnUnreadableFile: false,
		...(options.report ? { entities: ['referralSource'] } : {}),
	});
	const input = {
		source,
		profile,
		samples: await sampleExportColumns(exportSource, options.sampleRows),
		report: options.report ?? read.report,
		references: read.references,
		today: options.today,
		baseSpec: options.baseSpec,
		...(options.rules ? { rules: options.rules } : {}),
		...(options.profiles ? { profiles: options.profiles } : {}),
	};
	const proposal = proposeMapping(input);
	return options.advice ? await adviseProposal(proposal, input, options.advice) : proposal;
}
