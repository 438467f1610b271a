import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SourceSystem } from '../../model/primitives';
import { CustomFieldType } from '../../pipedrive/schemaRequirements';
import { normalizeHeader } from '../../sources/common/headers';
import type { SourceProfile } from '../../sources/common/profile';
import { compareText } from '../order';
import { CustomTarget, ExcludedTarget } from '../spec';
import type { MappingSpec } from '../spec';
import type { ColumnSample } from './columnSample';
import { ENTITY_OF_FILE, fileSpecOf } from './fields';

/**
 * Mapping profiles: the column choices of a confirmed spec, saved for a source system and the
 * layout of its export (file names and headers), so the next practice on the same system starts
 * from the consultant's choices instead of the synonyms. A profile is plain JSON a consultant can
 * keep in version control: headers and targets only, never a cell of the export (enum options are
 * taken from the export Propose reads, not stored).
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** A column's confirmed route: the reader field it fills, or where an unknown column goes. */
export const ProfileChoice = z.union([
	z.object({ field: z.string().min(1) }).strict(),
	z
		.object({
			target: z.union([CustomTarget, ExcludedTarget]),
			/** The custom field's type; enum options come from the export being proposed. */
			fieldType: CustomFieldType.optional(),
		})
		.strict(),
]);
export type ProfileChoice = z.infer<typeof ProfileChoice>;

export const ProfileFile = z
	.object({
		/** The reader's name of the file (`patients.csv`). */
		file: z.string().min(1),
		/** `layoutFingerprint` of this file alone. */
		fingerprint: Hex64,
		/** The headers as exported, in export order (for people; matching uses the fingerprint). */
		headers: z.array(z.string()),
		/** Export header → the consultant's choice; headers the reader knows by itself are absent. */
		columns: z.record(z.string(), ProfileChoice),
	})
	.strict();
export type ProfileFile = z.infer<typeof ProfileFile>;

export const MappingProfile = z
	.object({
		profileVersion: z.literal(1),
		name: z.string().min(1),
		source: SourceSystem,
		/** Fingerprint of the whole export layout (every file's, also those without choices). */
		fingerprint: Hex64,
		/** The confirmed spec the choices were taken from (its specHash). */
		fromSpecHash: Hex64,
		/** The files with at least one choice; each applies where an export file has its layout. */
		files: z.array(ProfileFile),
	})
	.strict();
export type MappingProfile = z.infer<typeof MappingProfile>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A file's layout fingerprint: its name (lower case) and the set of its normalised headers
 * (accents, case, spaces and `_.-` ignored; order ignored), so a re-ordered export still matches.
 */
export function fileFingerprint(file: string, headers: readonly string[]): string {
	const names = [...new Set(headers.map(normalizeHeader))].sort(compareText);
	return sha256(JSON.stringify([file.toLowerCase(), names]));
}

function layoutFingerprint(fileFingerprints: readonly string[]): string {
	return sha256(JSON.stringify([...fileFingerprints].sort(compareText)));
}

/**
 * The profile of a confirmed spec for the export it was proposed from: per file of the source,
 * the columns the spec's `columnMap` routes to a reader field and the unknown columns' targets.
 */
export function profileFromSpec(input: {
	name: string;
	spec: MappingSpec;
	specHash: string;
	profile: SourceProfile;
	samples: readonly ColumnSample[];
}): MappingProfile {
	const { spec } = input;
	const files: ProfileFile[] = [];
	const layout: string[] = [];
	for (const sample of [...input.samples].sort((a, b) => compareText(a.file, b.file))) {
		const file = fileSpecOf(input.profile, sample.file);
		if (file === undefined) continue;
		const entity = ENTITY_OF_FILE[file.entity] ?? 'patient';
		const columnMap = spec.columnMap[file.name] ?? {};
		const columns: Record<string, ProfileChoice> = {};
		for (const header of sample.headers) {
			const field = columnMap[header];
			if (field !== undefined) {
				columns[header] = { field };
				continue;
			}
			const unknown = spec.unknownColumns.find((c) => c.header === header && c.entity === entity);
			if (unknown === undefined) continue;
			const target = unknown.target;
			const definition =
				'custom' in target
					? spec.schema.customFields.find(
							(f) => f.object === target.object && f.name === target.custom,
						)
					: undefined;
			columns[header] = {
				target,
				...(definition ? { fieldType: definition.fieldType } : {}),
			};
		}
		layout.push(fileFingerprint(file.name, sample.headers));
		// Files the reader reads by its own headers hold no choice: the layout fingerprint has them.
		if (Object.keys(columns).length === 0) continue;
		files.push({
			file: file.name,
			fingerprint: fileFingerprint(file.name, sample.headers),
			headers: [...sample.headers],
			columns,
		});
	}
	return MappingProfile.parse({
		profileVersion: 1,
		name: input.name,
		source: spec.source,
		fingerprint: layoutFingerprint(layout),
		fromSpecHash: input.specHash,
		files,
	});
}

/** The profile file name for a profile name: `Dental-Exec (Finnish)` → `dental-exec-finnish.json`. */
export function profileFileName(name: string): string {
	const slug = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return `${slug || 'profile'}.json`;
}

/** Writes the profile as pretty JSON into `folder` (created when missing); returns its path. */
export function writeProfile(folder: string, profile: MappingProfile): string {
	mkdirSync(folder, { recursive: true });
	const path = join(folder, profileFileName(profile.name));
	writeFileSync(path, `${JSON.stringify(MappingProfile.parse(profile), null, '\t')}\n`);
	return path;
}

/**
 * Every `*.json` profile in `folder`, by file name. A file that is not a profile stops Propose
 * with its name and the first problem: a consultant's profile folder should not half-apply.
 */
export function readProfiles(folder: string): MappingProfile[] {
	const names = readdirSync(folder)
		.filter((name) => name.toLowerCase().endsWith('.json'))
		.sort(compareText);
	return names.map((name) => {
		let document: unknown;
		try {
			document = JSON.parse(readFileSync(join(folder, name), 'utf8'));
		} catch {
			throw new Error(
				`Mapping profile ${name} in ${folder} is not valid JSON: fix it or move it out of the profiles folder`,
			);
		}
		const parsed = MappingProfile.safeParse(document);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new Error(
				`Mapping profile ${name} in ${folder} is not a mapping profile (${issue.path.join('.') || '(profile)'}: ${issue.message}): save it again with Confirm Mapping (Save as Mapping Profile) or move it out of the folder`,
			);
		}
		return parsed.data;
	});
}

export interface ReusedFile {
	/** The profile's name. */
	profile: string;
	columns: Record<string, ProfileChoice>;
}

/** The first profile (by name) of the source with a file of exactly this layout. */
export function profileForFile(
	profiles: readonly MappingProfile[],
	source: SourceSystem,
	file: string,
	headers: readonly string[],
): ReusedFile | undefined {
	const fingerprint = fileFingerprint(file, headers);
	for (const profile of [...profiles].sort((a, b) => compareText(a.name, b.name))) {
		if (profile.source !== source) continue;
		const found = profile.files.find((f) => f.fingerprint === fingerprint);
		if (found) return { profile: profile.name, columns: found.columns };
	}
	return undefined;
}
