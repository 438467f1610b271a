import { compareText } from '../order';
import type { ReferenceEntity, SourceSystem, ValidationReport } from '../../model';
import type { CustomFieldType } from '../../pipedrive/schemaRequirements';
import { matchHeaders, normalizeHeader } from '../../sources/common/headers';
import type { FileSpec, SourceProfile } from '../../sources/common/profile';
import { defaultSpec } from '../defaults';
import type { FieldTarget, MappingSpec, Rules, UnknownColumn } from '../spec';
import type { ColumnSample } from './columnSample';
import { headerScore } from './concepts';
import {
	ENTITY_OF_FILE,
	fieldKinds,
	fieldWords,
	fileSpecOf,
	humanise,
	optionsOf,
	targetOf,
	valueScore,
} from './fields';
import { profileForFile } from './profiles';
import type { MappingProfile, ProfileChoice } from './profiles';
import { withReferralSources } from './referrals';
import { describeProfile, profileColumn } from './sniff';
import type { ColumnProfile } from './sniff';
import { proposalTable } from './table';

export { sampleExportColumns } from './columnSample';
export type { ColumnSample } from './columnSample';
export { withReferralSources } from './referrals';

/** The rules a consultant sets per client before proposing; the confirmed spec then holds them. */
export type RuleSeeds = Partial<
	Pick<Rules, 'leadRecencyMonths' | 'fallbackOwnerEmail' | 'currency'>
>;

/** Below this a proposal is marked for review. */
export const REVIEW_BELOW = 0.8;
/** Below this a column is not proposed for a reference field at all. */
const PROPOSE_FROM = 0.45;

export interface ProposeInput {
	source: SourceSystem;
	/** The source's reader profile (lib/sources): its files, fields and known headers. */
	profile: SourceProfile;
	/** Headers and first rows of the export's files (`sampleExportColumns`). */
	samples: readonly ColumnSample[];
	/** The reader's report, when the export was read: its missing columns are named in reasons. */
	report?: ValidationReport;
	/** Reference entities from the reader: the referral pick-list becomes enum options. */
	references?: readonly ReferenceEntity[];
	/** The recency reference date the spec records (rules.today). */
	today: string;
	/** Start from this spec instead of the source's default. */
	baseSpec?: MappingSpec;
	/** Rules the proposal starts from (Migration settings seed them); the rest are the base spec's. */
	rules?: RuleSeeds;
	/** Saved mapping profiles: a file whose layout one of them has takes its confirmed choices. */
	profiles?: readonly MappingProfile[];
}

/** Where a proposal came from, when not from the synonyms and value sniffing. */
export interface ProposalOrigin {
	/** `profile`: a consultant's confirmed choice; `ai`: the connected language model's answer. */
	proposedBy?: 'profile' | 'ai';
	/** The mapping profile's name, for `profile`. */
	profile?: string;
}

export interface ColumnProposal extends ProposalOrigin {
	file: string;
	column: string;
	/** The reader field the column fills, when it fills one. */
	field?: string;
	/** Where its values land in Pipedrive, in words. */
	target: string;
	confidence: number;
	/** One line, from the header and the sampled values; never a value itself. */
	reason: string;
	needsReview: boolean;
}

export interface FieldProposal extends ProposalOrigin {
	file: string;
	field: string;
	required: boolean;
	/** The present column that most likely fills the field; absent when none does. */
	column?: string;
	confidence: number;
	reason: string;
	needsReview: boolean;
}

export interface Proposal {
	spec: MappingSpec;
	columns: ColumnProposal[];
	/** Every reader field the export does not name as the reference layout does. */
	fields: FieldProposal[];
	/** The same, as a readable table (markdown). */
	table: string;
	/** The files whose layout a mapping profile has, and that profile (only when one matched). */
	profiles?: { file: string; profile: string }[];
}

/** A profile's choice is the consultant's: as sure as a header the reader knows. */
const PROFILE_CONFIDENCE = 0.95;
const fromProfile = (name: string) => `confirmed in mapping profile "${name}"`;

const round = (value: number) => Math.round(value * 100) / 100;

interface Candidate {
	column: string;
	field: string;
	score: number;
	reason: string;
}

/**
 * Proposes where every column of an export goes: columns the reader already knows keep their
 * default target; unknown ones are matched to the reader fields the export lacks, from header
 * words (English, Dutch, French, vendor abbreviations) and sampled values together; the rest
 * become proposed custom fields. Returns the spec (with the column map and unknown columns) and
 * a table for the human who confirms it.
 */
export function proposeMapping(input: ProposeInput): Proposal {
	const base = input.baseSpec ?? defaultSpec(input.source, input.today);
	let spec: MappingSpec = withReferralSources(
		{ ...base, rules: { ...base.rules, ...definedSeeds(input.rules) } },
		input.references ?? [],
	);
	const columns: ColumnProposal[] = [];
	const fields: FieldProposal[] = [];
	const columnMap: Record<string, Record<string, string>> = { ...spec.columnMap };
	const unknownColumns: UnknownColumn[] = [...spec.unknownColumns];
	const customFields = [...spec.schema.customFields];
	const usedProfiles: { file: string; profile: string }[] = [];
	const languages = Object.keys(
		Object.assign({}, ...input.profile.files.flatMap((f) => f.columns.map((c) => c.headers))),
	);

	for (const sample of [...input.samples].sort((a, b) => compareText(a.file, b.file))) {
		const file = fileSpecOf(input.profile, sample.file);
		if (file === undefined) {
			for (const column of sample.headers)
				columns.push({
					file: sample.file,
					column,
					target: 'not read (not a file of this source)',
					confidence: 0,
					reason: `${sample.file} is not one of the ${input.source} export files; rename it or leave it out`,
					needsReview: true,
				});
			continue;
		}
		const reused = input.profiles
			? profileForFile(input.profiles, input.source, file.name, sample.headers)
			: undefined;
		if (reused) usedProfiles.push({ file: file.name, profile: reused.profile });
		const choices = new Map(
			Object.entries(reused?.columns ?? {}).map(([header, choice]) => [
				normalizeHeader(header),
				choice,
			]),
		);
		const choiceOf = (header: string): ProfileChoice | undefined =>
			choices.get(normalizeHeader(header));
		const profileFields: Record<string, string> = {};
		for (const header of sample.headers) {
			const choice = choiceOf(header);
			if (choice && 'field' in choice) profileFields[header] = choice.field;
		}
		const match = matchHeaders(sample.headers, file.columns, languages, {
			...(spec.columnMap[file.name] ?? {}),
			...profileFields,
		});
		const profiles = sample.columns.map(profileColumn);
		const fileColumns: { index: number; proposal: ColumnProposal }[] = [];
		const reportMissing = new Set(
			input.report?.files.find((f) => f.file === file.name)?.missingColumns ?? [],
		);

		// Known columns: the reader reads them, the default spec places them.
		const unmatched: number[] = [];
		sample.headers.forEach((header, index) => {
			const field = match.fields[index];
			const choice = choiceOf(header);
			if (field === undefined && reused && choice && 'target' in choice) {
				fileColumns.push({
					index,
					proposal: profileTarget(file, header, choice, sample.columns[index], reused.profile),
				});
				return;
			}
			if (field === undefined) {
				unmatched.push(index);
				return;
			}
			if (reused && profileFields[header] === field) {
				(columnMap[file.name] ??= {})[header] = field;
				fileColumns.push({
					index,
					proposal: {
						file: file.name,
						column: header,
						field,
						target: targetOf(spec, file, field),
						confidence: PROFILE_CONFIDENCE,
						reason: fromProfile(reused.profile),
						needsReview: false,
						proposedBy: 'profile',
						profile: reused.profile,
					},
				});
				return;
			}
			const exact = normalizeHeader(header) === normalizeHeader(field);
			fileColumns.push({
				index,
				proposal: {
					file: file.name,
					column: header,
					field,
					target: targetOf(spec, file, field),
					confidence: exact ? 1 : 0.95,
					reason: exact
						? 'the reference layout header'
						: 'a header the reader knows for this field',
					needsReview: false,
				},
			});
		});

		// Missing fields: score every unknown column against each, from header and values together.
		const missing = match.missing.map((m) => m.field);
		const candidates: Candidate[] = [];
		for (const index of unmatched) {
			const header = sample.headers[index];
			const profile = profiles[index];
			for (const field of missing) {
				const byHeader = headerScore(header, fieldWords(file, field));
				const byValue = valueScore(profile, fieldKinds(file, field));
				let score = 0;
				let reason = '';
				if (byHeader.score > 0) {
					// At most 0.9: a dictionary match is never as sure as the reference layout's header.
					score = 0.55 * byHeader.score + 0.35 * byValue;
					reason = `${byHeader.reason}; ${describeProfile(profile)}`;
					if (byValue === 0) score = Math.min(score, 0.4);
				} else if (
					byValue === 1 &&
					['email', 'code', 'percentage'].includes(profile.kind) &&
					fieldKinds(file, field)[0] === profile.kind
				) {
					// Distinctive values alone can name a field whose values are of exactly that kind.
					score = 0.5;
					reason = `header unknown, but ${describeProfile(profile)}`;
				}
				if (score >= PROPOSE_FROM)
					candidates.push({ column: header, field, score: round(score), reason });
			}
		}
		// Greedy by score: each field gets one column and each column one field.
		candidates.sort(
			(a, b) =>
				b.score - a.score || compareText(a.field, b.field) || compareText(a.column, b.column),
		);
		const takenColumns = new Map<string, Candidate>();
		const takenFields = new Map<string, Candidate>();
		for (const candidate of candidates) {
			if (takenColumns.has(candidate.column) || takenFields.has(candidate.field)) continue;
			takenColumns.set(candidate.column, candidate);
			takenFields.set(candidate.field, candidate);
		}
		for (const { field, required } of match.missing) {
			const chosen = takenFields.get(field);
			const reported =
				reportMissing.has(field) ||
				[...reportMissing].some((m) => fieldWords(file, field).includes(normalizeHeader(m)));
			fields.push(
				chosen
					? {
							file: file.name,
							field,
							required,
							column: chosen.column,
							confidence: chosen.score,
							reason: chosen.reason,
							needsReview: chosen.score < REVIEW_BELOW,
						}
					: {
							file: file.name,
							field,
							required,
							confidence: 0,
							reason: `no present column looks like it${reported ? ' (the reader reports it missing)' : ''}; ${required ? 'export it or map a column by hand' : 'optional: leave it out or map a column by hand'}`,
							needsReview: required,
						},
			);
			if (chosen) (columnMap[file.name] ??= {})[chosen.column] = field;
		}

		// The rest: custom fields where the object has them, else left out on purpose.
		for (const index of unmatched) {
			const header = sample.headers[index];
			const chosen = takenColumns.get(header);
			if (chosen) {
				fileColumns.push({
					index,
					proposal: {
						file: file.name,
						column: header,
						field: chosen.field,
						target: targetOf(spec, file, chosen.field),
						confidence: chosen.score,
						reason: chosen.reason,
						needsReview: chosen.score < REVIEW_BELOW,
					},
				});
				continue;
			}
			const proposal = customFieldFor(
				file,
				header,
				profiles[index],
				sample.columns[index],
				customFields,
			);
			unknownColumns.push(proposal.column);
			if (proposal.definition) customFields.push(proposal.definition);
			fileColumns.push({
				index,
				proposal: {
					file: file.name,
					column: header,
					target: proposal.target,
					confidence: proposal.confidence,
					reason: proposal.reason,
					needsReview: proposal.confidence < REVIEW_BELOW,
				},
			});
		}
		columns.push(...fileColumns.sort((a, b) => a.index - b.index).map((entry) => entry.proposal));
	}
	spec = { ...spec, columnMap, unknownColumns, schema: { ...spec.schema, customFields } };
	return {
		spec,
		columns,
		fields,
		table: proposalTable(columns, fields),
		...(usedProfiles.length > 0 ? { profiles: usedProfiles } : {}),
	};

	/** An unknown column the profile routes: its custom field (declared when new) or exclusion. */
	function profileTarget(
		file: FileSpec,
		header: string,
		choice: Extract<ProfileChoice, { target: unknown }>,
		cells: readonly string[],
		profile: string,
	): ColumnProposal {
		const target = choice.target;
		unknownColumns.push({ entity: ENTITY_OF_FILE[file.entity] ?? 'patient', header, target });
		const origin = {
			file: file.name,
			column: header,
			confidence: PROFILE_CONFIDENCE,
			reason: fromProfile(profile),
			needsReview: false,
			proposedBy: 'profile' as const,
			profile,
		};
		if ('exclude' in target) return { ...origin, target: `not migrated (${target.reason})` };
		const declared = customFields.find(
			(f) => f.object === target.object && f.name === target.custom,
		);
		let fieldType = declared?.fieldType ?? choice.fieldType ?? 'varchar';
		if (!declared) {
			// Options are this export's, never the profile's: a profile holds no cell of an export.
			const options = fieldType === 'enum' || fieldType === 'set' ? optionsOf(cells) : [];
			if (options.length === 0 && (fieldType === 'enum' || fieldType === 'set'))
				fieldType = 'varchar';
			customFields.push({
				object: target.object,
				name: target.custom,
				fieldType,
				...(options.length > 0 ? { options } : {}),
			});
		}
		return {
			...origin,
			target: `${declared ? '' : 'new '}${target.object} custom field "${target.custom}" (${fieldType})`,
		};
	}
}

function customFieldFor(
	file: FileSpec,
	header: string,
	profile: ColumnProfile,
	cells: readonly string[],
	existing: readonly { object: string; name: string }[],
): {
	column: UnknownColumn;
	definition?: {
		object: 'person' | 'organization' | 'deal';
		name: string;
		fieldType: CustomFieldType;
		options?: string[];
	};
	target: string;
	confidence: number;
	reason: string;
} {
	const entity = ENTITY_OF_FILE[file.entity];
	if (entity === undefined)
		return {
			column: {
				entity: 'patient',
				header,
				target: {
					exclude: true,
					reason: `${file.name} records become activities, notes or files, which have no custom fields`,
				},
			},
			target: 'not migrated (no custom fields on this object)',
			confidence: 0.5,
			reason: `unknown column; ${file.name} records have no custom fields in Pipedrive: add it to the note text by hand if needed`,
		};
	const object =
		entity === 'patient' ? 'person' : entity === 'treatmentPlan' ? 'deal' : 'organization';
	let name = humanise(header);
	if (existing.some((field) => field.object === object && field.name === name))
		name = `${name} (${file.name})`;
	const pickList = profile.kind === 'pickList';
	const long = cells.some((cell) => cell.length > 255);
	const fieldType: CustomFieldType = pickList ? 'enum' : long ? 'text' : 'varchar';
	const options = pickList ? optionsOf(cells) : undefined;
	const target: FieldTarget = { object, custom: name };
	return {
		column: { entity, header, target: target as UnknownColumn['target'] },
		definition: { object, name, fieldType, ...(options ? { options } : {}) },
		target: `new ${object} custom field "${name}" (${fieldType})`,
		confidence: profile.kind === 'empty' ? 0.5 : 0.8,
		reason: `not a ${file.name} column of the reference layout; ${describeProfile(profile)}${pickList ? ', so an option field' : ', kept as text'}`,
	};
}

/** The seeds that were given: an absent setting leaves the base spec's rule. */
function definedSeeds(seeds: RuleSeeds = {}): RuleSeeds {
	return Object.fromEntries(Object.entries(seeds).filter(([, value]) => value !== undefined));
}
