import { z } from 'zod';
import type { SourceSystem } from '../../model';
import type { FileSpec } from '../../sources/common/profile';
import { CANONICAL_FIELDS, isCanonicalFieldName } from '../canonicalFields';
import { compareText } from '../order';
import type { MappingSpec } from '../spec';
import { validateSpec } from '../validate';
import type { ColumnSample } from './columnSample';
import {
	ENTITY_OF_FILE,
	canonicalOfField,
	fieldKinds,
	fileSpecOf,
	optionsOf,
	targetOf,
	valueScore,
} from './fields';
import { REVIEW_BELOW } from './index';
import type { ColumnProposal, FieldProposal, Proposal, ProposeInput } from './index';
import { columnShape, describeShape, shapeKind } from './shape';
import type { ColumnShape } from './shape';
import { profileColumn } from './sniff';
import { proposalTable } from './table';

/**
 * Help from a language model for the columns the synonyms and value sniffing could not place
 * (or placed below the review threshold). The model sees the file name, the headers, the reader
 * fields and each column's value SHAPE (`columnShape`): never a cell. Its answers are checked
 * like a person's edit would be (known field, free field, a type the values fit) and accepted
 * ones are marked as AI proposals, capped below the review threshold: a person confirms them.
 */

/** An AI proposal is never surer than this: below REVIEW_BELOW, so each one is reviewed. */
export const AI_CONFIDENCE_CAP = 0.7;
/** Types a new custom field for an unknown column may have: the reader keeps such cells as text. */
const CUSTOM_FIELD_TYPES = ['varchar', 'text', 'enum'] as const;

export interface AskedColumn {
	header: string;
	shape: ColumnShape;
	/** The proposal as it stands, in words (target and confidence). */
	now: string;
}

export interface OfferedField {
	field: string;
	meaning: string;
	kinds: readonly string[];
	/** The asked column that holds it now (a low-confidence proposal), if any. */
	heldBy?: string;
}

/** Everything the model is told about one file; `system` and `prompt` are the messages sent. */
export interface ShapeOnlyRequest {
	source: SourceSystem;
	file: string;
	columns: AskedColumn[];
	fields: OfferedField[];
	/** Fields the export already fills for sure: not to be proposed. */
	filled: string[];
	customFieldTypes: string[];
	system: string;
	prompt: string;
}

/**
 * The one door to a language model: the node adapts n8n's connected chat model to it. The
 * advisor returns the model's reply text; `signal` aborts when the time is up.
 */
export type ColumnAdvisor = (request: ShapeOnlyRequest, signal: AbortSignal) => Promise<string>;

export interface AdviceOptions {
	advisor: ColumnAdvisor;
	/** Columns below this confidence (and unmapped ones) go to the model. Default REVIEW_BELOW. */
	below?: number;
	/** Per file; default 60 s. */
	timeoutMs?: number;
}

export interface AdviceAnswer {
	file: string;
	column: string;
	/** The answer in words: `field DOB`, `custom field "Loyalty tier" (varchar)`, `keep`. */
	answer: string;
	/** Accepted: the model's reason; rejected: why it was refused. */
	reason: string;
}

export interface Advice {
	/** Columns sent to the model. */
	asked: number;
	accepted: AdviceAnswer[];
	rejected: AdviceAnswer[];
	/** Answers that keep the proposal as it is. */
	kept: AdviceAnswer[];
	/** Files the model gave no usable reply for, and why; their proposals stand unchanged. */
	failures: string[];
}

const Answer = z
	.object({
		column: z.string(),
		field: z.string().optional(),
		customField: z.string().optional(),
		type: z.string().optional(),
		keep: z.boolean().optional(),
		reason: z.string().optional(),
		confidence: z.number().min(0).max(1).optional(),
	})
	.strict();
const Reply = z.object({ answers: z.array(z.unknown()) });

const round = (value: number) => Math.round(value * 100) / 100;
const oneLine = (text: string, max = 200) => text.replace(/\s+/g, ' ').trim().slice(0, max);

function meaningOf(file: FileSpec, field: string): string {
	const canonical = canonicalOfField(file, field);
	if (canonical && isCanonicalFieldName(canonical))
		return `${CANONICAL_FIELDS[canonical].description} (${canonical})`;
	return `${file.entity} ${field}`;
}

const SYSTEM = (source: SourceSystem) =>
	[
		`You help map the columns of a dental practice-management export (source system ${source}) to the fields its migration reader knows.`,
		'You never see a value of the export: each column comes with its header and the shape of its values only (kind, share, counts, lengths, date order).',
		'Answer with one JSON object and nothing else: {"answers":[...]}, one answer per column you can place:',
		'{"column":"<header as given>","field":"<a field name from the list>","reason":"<one sentence>","confidence":<0..1>}',
		'or, for a column that fills none of the fields: {"column":"<header>","customField":"<short English name>","type":"<one of the custom field types>","reason":"<one sentence>","confidence":<0..1>}',
		'or {"column":"<header>","keep":true,"reason":"<one sentence>"} to keep the current proposal.',
		'Use each field at most once and never a field listed as already filled.',
	].join('\n');

function renderPrompt(request: Omit<ShapeOnlyRequest, 'system' | 'prompt'>): string {
	const lines = [
		`File: ${request.file}`,
		'Fields without a sure column (field: meaning; value kinds):',
		...request.fields.map(
			(f) =>
				`- ${f.field}: ${f.meaning}; ${f.kinds.join(', ')}${f.heldBy ? ` (now proposed for column "${f.heldBy}")` : ''}`,
		),
		`Fields already filled (do not use): ${request.filled.join(', ') || '(none)'}`,
		'Columns to place (header: shape of its values | current proposal):',
		...request.columns.map((c) => `- "${c.header}": ${describeShape(c.shape)} | now: ${c.now}`),
		`Custom field types: ${request.customFieldTypes.length ? request.customFieldTypes.join(', ') : `none (${request.file} records have no custom fields)`}`,
	];
	return lines.join('\n');
}

/** The reply's JSON object: the whole text, or the first {...} in it (models like code fences). */
function parseReply(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		const start = text.indexOf('{');
		const end = text.lastIndexOf('}');
		if (start < 0 || end <= start) throw new Error('no JSON object in it');
		return JSON.parse(text.slice(start, end + 1));
	}
}

async function withTimeout(
	advisor: ColumnAdvisor,
	request: ShapeOnlyRequest,
	ms: number,
): Promise<string> {
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			controller.abort();
			reject(new Error(`no reply within ${ms} ms`));
		}, ms);
	});
	try {
		return await Promise.race([advisor(request, controller.signal), timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Asks the advisor about every file's unplaced and low-confidence columns (one request per
 * file) and applies the answers that pass the checks. Without usable answers the proposal is
 * returned as it was; the spec stays valid either way (a file whose answers would make it
 * invalid keeps its proposals).
 */
export async function adviseProposal(
	proposal: Proposal,
	input: ProposeInput,
	options: AdviceOptions,
): Promise<Proposal & { advice: Advice }> {
	const below = options.below ?? REVIEW_BELOW;
	const timeoutMs = options.timeoutMs ?? 60_000;
	const advice: Advice = { asked: 0, accepted: [], rejected: [], kept: [], failures: [] };
	let current: Working = {
		spec: structuredClone(proposal.spec),
		columns: structuredClone(proposal.columns),
		fields: structuredClone(proposal.fields),
	};
	for (const sample of [...input.samples].sort((a, b) => compareText(a.file, b.file))) {
		const file = fileSpecOf(input.profile, sample.file);
		if (file === undefined) continue;
		const asked = current.columns.filter(
			(c) =>
				c.file === file.name &&
				c.proposedBy !== 'profile' &&
				(c.field === undefined || c.confidence < below),
		);
		if (asked.length === 0) continue;
		const request = requestFor(input.source, file, sample, current, asked);
		advice.asked += request.columns.length;
		let reply: unknown;
		try {
			reply = parseReply(await withTimeout(options.advisor, request, timeoutMs));
		} catch (error) {
			advice.failures.push(
				`${file.name}: the model gave no usable reply (${oneLine((error as Error).message)}); the proposals stand as they were`,
			);
			continue;
		}
		const parsed = Reply.safeParse(reply);
		if (!parsed.success) {
			advice.failures.push(
				`${file.name}: the model's reply is not {"answers":[...]}; the proposals stand as they were`,
			);
			continue;
		}
		const before = new Set(validateSpec(current.spec).problems);
		const next: Working = structuredClone(current);
		const outcome = applyAnswers(next, file, sample, request, parsed.data.answers);
		const introduced = validateSpec(next.spec).problems.filter((p) => !before.has(p));
		if (introduced.length > 0) {
			advice.failures.push(
				`${file.name}: the model's answers would make the spec invalid (${oneLine(introduced[0])}); the proposals stand as they were`,
			);
			continue;
		}
		current = next;
		advice.accepted.push(...outcome.accepted);
		advice.rejected.push(...outcome.rejected);
		advice.kept.push(...outcome.kept);
	}
	return {
		...proposal,
		spec: current.spec,
		columns: current.columns,
		fields: current.fields,
		table: proposalTable(current.columns, current.fields),
		advice,
	};
}

interface Working {
	spec: MappingSpec;
	columns: ColumnProposal[];
	fields: FieldProposal[];
}

function requestFor(
	source: SourceSystem,
	file: FileSpec,
	sample: ColumnSample,
	current: Working,
	asked: readonly ColumnProposal[],
): ShapeOnlyRequest {
	const askedHeaders = new Set(asked.map((c) => c.column));
	const filled = current.columns
		.filter((c) => c.file === file.name && c.field !== undefined && !askedHeaders.has(c.column))
		.map((c) => c.field as string);
	const heldBy = new Map(
		asked.filter((c) => c.field !== undefined).map((c) => [c.field as string, c.column]),
	);
	const parts = {
		source,
		file: file.name,
		columns: asked.map((c) => ({
			header: c.column,
			shape: columnShape(sample.columns[sample.headers.indexOf(c.column)] ?? []),
			now: `${c.field ? `${c.field}: ${c.target}` : c.target}, ${Math.round(c.confidence * 100)}%`,
		})),
		fields: file.columns
			.filter((column) => !filled.includes(column.field))
			.map((column) => ({
				field: column.field,
				meaning: meaningOf(file, column.field),
				kinds: fieldKinds(file, column.field),
				...(heldBy.has(column.field) ? { heldBy: heldBy.get(column.field) } : {}),
			})),
		filled: [...filled].sort(compareText),
		customFieldTypes: ENTITY_OF_FILE[file.entity] ? [...CUSTOM_FIELD_TYPES] : [],
	};
	return { ...parts, system: SYSTEM(source), prompt: renderPrompt(parts) };
}

/** Checks each answer against the file's fields and the columns' shapes; applies the good ones. */
function applyAnswers(
	work: Working,
	file: FileSpec,
	sample: ColumnSample,
	request: ShapeOnlyRequest,
	answers: readonly unknown[],
): { accepted: AdviceAnswer[]; rejected: AdviceAnswer[]; kept: AdviceAnswer[] } {
	const accepted: AdviceAnswer[] = [];
	const rejected: AdviceAnswer[] = [];
	const kept: AdviceAnswer[] = [];
	const answered = new Set<string>();
	const known = new Set(file.columns.map((c) => c.field));
	const entity = ENTITY_OF_FILE[file.entity];
	const holder = (field: string) =>
		work.columns.find((c) => c.file === file.name && c.field === field)?.column;

	for (const raw of answers) {
		const parsed = Answer.safeParse(raw);
		const column =
			typeof (raw as { column?: unknown })?.column === 'string'
				? (raw as { column: string }).column
				: '(none)';
		const refuse = (answer: string, why: string) =>
			rejected.push({ file: file.name, column: oneLine(column, 100), answer, reason: why });
		if (!parsed.success) {
			refuse(
				'(unreadable)',
				`not in the answer format (${parsed.error.issues[0].path.join('.') || 'answer'}: ${parsed.error.issues[0].message})`,
			);
			continue;
		}
		const a = parsed.data;
		const asked = request.columns.find((c) => c.header === a.column);
		const describe = a.field
			? `field ${a.field}`
			: a.customField
				? `custom field "${oneLine(a.customField, 100)}" (${a.type ?? 'no type'})`
				: 'keep';
		if (!asked) {
			refuse(describe, `"${oneLine(a.column, 100)}" is not a column that was asked about`);
			continue;
		}
		if (answered.has(a.column)) {
			refuse(describe, 'a second answer for the same column');
			continue;
		}
		answered.add(a.column);
		const proposal = work.columns.find((c) => c.file === file.name && c.column === a.column);
		if (!proposal) continue;
		const reason = oneLine(a.reason ?? 'no reason given');
		const confidence = round(Math.min(a.confidence ?? 0.5, AI_CONFIDENCE_CAP));
		const cells = sample.columns[sample.headers.indexOf(a.column)] ?? [];

		if (a.keep || (!a.field && !a.customField)) {
			kept.push({ file: file.name, column: a.column, answer: 'keep', reason });
			continue;
		}
		if (a.field !== undefined) {
			if (!known.has(a.field)) {
				refuse(
					describe,
					`unknown field "${oneLine(a.field, 100)}": not a ${file.name} field of the reader`,
				);
				continue;
			}
			if (proposal.field === a.field) {
				kept.push({ file: file.name, column: a.column, answer: describe, reason });
				continue;
			}
			const taken = holder(a.field);
			if (taken !== undefined) {
				refuse(describe, `field ${a.field} is already filled by column "${taken}"`);
				continue;
			}
			const kinds = fieldKinds(file, a.field);
			const profile = profileColumn(cells);
			if (valueScore(profile, kinds) === 0) {
				refuse(
					describe,
					`invalid type: the column holds ${shapeKind(columnShape(cells))} values, ${a.field} takes ${kinds.join(', ')}`,
				);
				continue;
			}
			release(work, file, proposal);
			(work.spec.columnMap[file.name] ??= {})[a.column] = a.field;
			Object.assign(proposal, {
				field: a.field,
				target: targetOf(work.spec, file, a.field),
			});
			markAi(proposal, confidence, reason);
			const wanted = work.fields.find((f) => f.file === file.name && f.field === a.field);
			if (wanted) {
				Object.assign(wanted, { column: a.column });
				markAi(wanted, confidence, reason);
			}
			accepted.push({ file: file.name, column: a.column, answer: describe, reason });
			continue;
		}
		// A new custom field for the column.
		const name = oneLine(a.customField ?? '', 255);
		if (entity === undefined) {
			refuse(describe, `${file.name} records have no custom fields in Pipedrive`);
			continue;
		}
		if (!CUSTOM_FIELD_TYPES.includes(a.type as (typeof CUSTOM_FIELD_TYPES)[number])) {
			refuse(
				describe,
				`invalid type "${oneLine(a.type ?? '(none)', 40)}": use one of ${CUSTOM_FIELD_TYPES.join(', ')}`,
			);
			continue;
		}
		const fieldType = a.type as (typeof CUSTOM_FIELD_TYPES)[number];
		const options = fieldType === 'enum' ? optionsOf(cells) : [];
		if (fieldType === 'enum' && profileColumn(cells).kind !== 'pickList') {
			refuse(describe, 'invalid type "enum": the column is not a pick-list; use varchar or text');
			continue;
		}
		const object =
			entity === 'patient' ? 'person' : entity === 'treatmentPlan' ? 'deal' : 'organization';
		const own = work.spec.unknownColumns.find((c) => c.entity === entity && c.header === a.column);
		const ownName = own && 'custom' in own.target ? own.target.custom : undefined;
		if (
			name === '' ||
			(name !== ownName &&
				work.spec.schema.customFields.some((f) => f.object === object && f.name === name))
		) {
			refuse(
				describe,
				name === '' ? 'no custom field name' : `custom field "${name}" already exists on ${object}`,
			);
			continue;
		}
		release(work, file, proposal);
		work.spec.unknownColumns.push({ entity, header: a.column, target: { object, custom: name } });
		work.spec.schema.customFields.push({
			object,
			name,
			fieldType,
			...(options.length > 0 ? { options } : {}),
		});
		Object.assign(proposal, { target: `new ${object} custom field "${name}" (${fieldType})` });
		delete proposal.field;
		markAi(proposal, confidence, reason);
		accepted.push({ file: file.name, column: a.column, answer: describe, reason });
	}
	return { accepted, rejected, kept };
}

function markAi(
	proposal: ColumnProposal | FieldProposal,
	confidence: number,
	reason: string,
): void {
	Object.assign(proposal, {
		confidence,
		reason: `AI proposal: ${reason}`,
		needsReview: true,
		proposedBy: 'ai',
	});
}

/** Frees what a column held before the model moved it: its reader field or its custom field. */
function release(work: Working, file: FileSpec, proposal: ColumnProposal): void {
	const spec = work.spec;
	if (proposal.field !== undefined) {
		delete spec.columnMap[file.name]?.[proposal.column];
		if (spec.columnMap[file.name] && Object.keys(spec.columnMap[file.name]).length === 0)
			delete spec.columnMap[file.name];
		const freed = work.fields.find((f) => f.file === file.name && f.field === proposal.field);
		if (freed) {
			delete freed.column;
			delete freed.proposedBy;
			Object.assign(freed, {
				confidence: 0,
				reason: `column "${proposal.column}" went to another field on the model's answer; map a column by hand if one fills it`,
				needsReview: freed.required,
			});
		}
		return;
	}
	const entity = ENTITY_OF_FILE[file.entity] ?? 'patient';
	const index = spec.unknownColumns.findIndex(
		(c) => c.entity === entity && c.header === proposal.column,
	);
	if (index < 0) return;
	const [removed] = spec.unknownColumns.splice(index, 1);
	const target = removed.target;
	if (!('custom' in target)) return;
	const stillUsed =
		spec.unknownColumns.some(
			(c) =>
				'custom' in c.target &&
				c.target.object === target.object &&
				c.target.custom === target.custom,
		) ||
		Object.values(spec.fields).some(
			(f) => 'custom' in f && f.object === target.object && f.custom === target.custom,
		);
	if (!stillUsed)
		spec.schema.customFields = spec.schema.customFields.filter(
			(f) => !(f.object === target.object && f.name === target.custom),
		);
}
