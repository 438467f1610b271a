import type { INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { ColumnAdvisor, ShapeOnlyRequest } from '../../lib/mapping/propose/advice';
import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import { specHash } from '../../lib/mapping/spec';
import type { MappingSpec } from '../../lib/mapping/spec';
import { validateSpec } from '../../lib/mapping/validate';
import { folderSource } from '../../lib/sources';
import { runWorkflow } from '../../runner/engine';
import { typeRegistry } from '../../runner/typeRegistry';
import { TODAY } from './helpers';
import {
	finnishExport,
	packageVocabulary,
	valuesFoundIn,
	firstPatient,
	PREFERRED_CONTACT_FIELD,
} from './support/finnishExport';

const EXPORT = finnishExport();

/** A chat model that answers from a script and keeps every request it was sent. */
function scripted(
	reply: string | ((request: ShapeOnlyRequest, signal: AbortSignal) => Promise<string>),
) {
	const requests: ShapeOnlyRequest[] = [];
	const advisor: ColumnAdvisor = async (request, signal) => {
		requests.push(request);
		return typeof reply === 'string' ? reply : await reply(request, signal);
	};
	return { requests, advisor };
}

const propose = (advisor?: ColumnAdvisor, below?: number, timeoutMs?: number) =>
	proposeFromExport('dental-exec', folderSource(EXPORT), {
		today: TODAY,
		...(advisor ? { advice: { advisor, below, timeoutMs } } : {}),
	});

/** One answer of each kind: accepted, unknown field, taken field, invalid types, kept. */
const ANSWERS = JSON.stringify({
	answers: [
		{ column: 'Syntymäaika', field: 'DOB', reason: 'Finnish for date of birth', confidence: 0.95 },
		{ column: 'Sukunimi', field: 'LastName', reason: 'Finnish for surname', confidence: 0.6 },
		{ column: 'Kaupunki', field: 'Town', reason: 'Finnish for city' },
		{ column: 'Etunimi', field: 'PatientID', reason: 'an identifier', confidence: 0.6 },
		{ column: 'Postinumero', field: 'MobilePhone', reason: 'a number', confidence: 0.4 },
		{ column: 'Matkapuhelin', customField: 'Mobile', type: 'date', reason: 'phone numbers' },
		{ column: 'Maksamatta', customField: 'Medical alerts', type: 'varchar', reason: 'alerts' },
		{
			column: 'Yhteydenottotapa',
			customField: 'Preferred contact',
			type: 'enum',
			reason: 'Finnish for contact method',
			confidence: 0.8,
		},
		{ column: 'Sukupuoli', keep: true, reason: 'not sure' },
		{ column: 'Osoite', field: 'Address1', reason: 'Finnish for address' },
		{ column: 'Sähköposti', field: 42 },
	],
});

describe('Propose with a language model (scripted chat model)', () => {
	let deterministic: Awaited<ReturnType<typeof propose>>;
	beforeAll(async () => {
		deterministic = await propose();
	});

	test('without a model nothing is asked and the proposal carries no advice', () => {
		expect(deterministic.advice).toBeUndefined();
		expect(validateSpec(deterministic.spec).problems).toEqual([]);
		expect(deterministic.spec.columnMap).toEqual({ 'patients.csv': { Sähköposti: 'Email' } });
	});

	test('valid answers are accepted as AI proposals, capped at 70% and marked for review; the others are rejected with a reason', async () => {
		const model = scripted(ANSWERS);
		const proposal = await propose(model.advisor);
		expect(model.requests.map((r) => [r.file, r.columns.map((c) => c.header)])).toEqual([
			[
				'patients.csv',
				[
					'Yhteydenottotapa',
					'Maksamatta',
					'Postinumero',
					'Kaupunki',
					'Matkapuhelin',
					'Sähköposti',
					'Sukupuoli',
					'Syntymäaika',
					'Etunimi',
					'Sukunimi',
				],
			],
		]);
		const advice = proposal.advice!;
		expect(advice.asked).toBe(10);
		expect(advice.failures).toEqual([]);
		expect(advice.accepted).toEqual([
			{
				file: 'patients.csv',
				column: 'Syntymäaika',
				answer: 'field DOB',
				reason: 'Finnish for date of birth',
			},
			{
				file: 'patients.csv',
				column: 'Sukunimi',
				answer: 'field LastName',
				reason: 'Finnish for surname',
			},
			{
				file: 'patients.csv',
				column: 'Yhteydenottotapa',
				answer: 'custom field "Preferred contact" (enum)',
				reason: 'Finnish for contact method',
			},
		]);
		expect(advice.rejected.map((r) => [r.column, r.answer, r.reason])).toEqual([
			['Kaupunki', 'field Town', 'unknown field "Town": not a patients.csv field of the reader'],
			['Etunimi', 'field PatientID', 'field PatientID is already filled by column "PatientID"'],
			[
				'Postinumero',
				'field MobilePhone',
				'invalid type: the column holds pick-list values, MobilePhone takes phone',
			],
			[
				'Matkapuhelin',
				'custom field "Mobile" (date)',
				'invalid type "date": use one of varchar, text, enum',
			],
			[
				'Maksamatta',
				'custom field "Medical alerts" (varchar)',
				'custom field "Medical alerts" already exists on person',
			],
			['Osoite', 'field Address1', '"Osoite" is not a column that was asked about'],
			[
				'Sähköposti',
				'(unreadable)',
				'not in the answer format (field: Invalid input: expected string, received number)',
			],
		]);
		expect(advice.kept).toEqual([
			{ file: 'patients.csv', column: 'Sukupuoli', answer: 'keep', reason: 'not sure' },
		]);

		const column = (header: string) => proposal.columns.find((c) => c.column === header);
		expect(column('Syntymäaika')).toEqual({
			file: 'patients.csv',
			column: 'Syntymäaika',
			field: 'DOB',
			target: 'patient.birthDate → person field "Date of birth"',
			confidence: 0.7,
			reason: 'AI proposal: Finnish for date of birth',
			needsReview: true,
			proposedBy: 'ai',
		});
		expect(column('Sukunimi')?.confidence).toBe(0.6);
		expect(column('Yhteydenottotapa')).toMatchObject({
			target: 'new person custom field "Preferred contact" (enum)',
			confidence: 0.7,
			proposedBy: 'ai',
			needsReview: true,
		});
		// Rejected and kept answers leave the synonyms' proposal as it was.
		expect(column('Kaupunki')).toEqual(deterministic.columns.find((c) => c.column === 'Kaupunki'));
		expect(proposal.fields.find((f) => f.field === 'DOB')).toMatchObject({
			column: 'Syntymäaika',
			proposedBy: 'ai',
			needsReview: true,
		});
		expect(proposal.table).toContain(
			'| patients.csv | Syntymäaika | DOB: patient.birthDate → person field "Date of birth" | 70% | review | AI proposal: Finnish for date of birth |',
		);

		expect(proposal.spec.columnMap).toEqual({
			'patients.csv': { Sähköposti: 'Email', Syntymäaika: 'DOB', Sukunimi: 'LastName' },
		});
		const names = proposal.spec.schema.customFields.map((f) => f.name);
		expect(names).not.toContain('Syntymäaika');
		expect(names).not.toContain('Sukunimi');
		expect(names).not.toContain('Yhteydenottotapa');
		expect(proposal.spec.schema.customFields.find((f) => f.name === 'Preferred contact')).toEqual(
			PREFERRED_CONTACT_FIELD,
		);
		expect(validateSpec(proposal.spec).problems).toEqual([]);

		// The reader reads the accepted columns: the sample's first patient, Martínez, born 04/22/1964.
		expect(await firstPatient(EXPORT, proposal.spec.columnMap)).toMatchObject({
			lastName: 'Martínez',
			birthDate: '1964-04-22',
		});
	});

	test.each([
		['invalid JSON', 'Syntymäaika is the date of birth.', 'no usable reply (no JSON object in it)'],
		[
			'JSON of another shape',
			'{"mapping":{"Syntymäaika":"DOB"}}',
			'reply is not {"answers":[...]}',
		],
		['an empty answer list', '{"answers":[]}', undefined],
	])('%s: the proposal and its spec stay exactly as without a model', async (_, reply, failure) => {
		const proposal = await propose(scripted(reply).advisor);
		expect(specHash(proposal.spec)).toBe(specHash(deterministic.spec));
		expect(proposal.columns).toEqual(deterministic.columns);
		expect(proposal.table).toBe(deterministic.table);
		expect(proposal.advice?.failures.map((f) => f.includes(failure ?? '(none)'))).toEqual(
			failure ? [true] : [],
		);
		expect(validateSpec(proposal.spec).problems).toEqual([]);
	});

	test('a model that does not answer in time is aborted; a model that fails is reported; the spec stands', async () => {
		let aborted = false;
		const silent = scripted(
			(_, signal) =>
				new Promise<string>(() => {
					signal.addEventListener('abort', () => (aborted = true));
				}),
		);
		const late = await propose(silent.advisor, undefined, 5);
		expect(aborted).toBe(true);
		expect(late.advice?.failures).toEqual([
			'patients.csv: the model gave no usable reply (no reply within 5 ms); the proposals stand as they were',
		]);
		expect(specHash(late.spec)).toBe(specHash(deterministic.spec));

		const failing = await propose(
			scripted(async () => {
				throw new Error('401 invalid API key');
			}).advisor,
		);
		expect(failing.advice?.failures).toEqual([
			'patients.csv: the model gave no usable reply (401 invalid API key); the proposals stand as they were',
		]);
		expect(specHash(failing.spec)).toBe(specHash(deterministic.spec));
	});

	test('no value of the sample export appears in any prompt, even when every column of every file is asked about', async () => {
		const vocabulary = packageVocabulary();
		for (const below of [undefined, 1.01]) {
			const model = scripted(ANSWERS);
			await propose(model.advisor, below);
			// 49 distinct: two of the sample's first 50 patients share a birth date.
			const sent = model.requests.map((r) => `${r.system}\n${r.prompt}`).join('\n');
			expect(model.requests.length).toBe(below ? 12 : 1);
			expect(sent).toContain(
				'- "Syntymäaika": date m/d/y in 100% of 50 non-empty of 50 sampled; 49 distinct; length 10; characters: digits and separators | now: new person custom field "Syntymäaika" (varchar), 80%',
			);
			expect(valuesFoundIn(sent, vocabulary)).toEqual([]);
		}
	});
});

describe('the Model input of Migration Mapper in the n8n engine', () => {
	const messages: unknown[] = [];
	const CHAT_MODEL = 'test.scriptedChatModel';
	beforeAll(() => {
		const chatModel: INodeType = {
			description: {
				displayName: 'Scripted Chat Model',
				name: 'scriptedChatModel',
				group: ['transform'],
				version: 1,
				description: 'Answers Propose from a script (tests only)',
				defaults: { name: 'Scripted Chat Model' },
				inputs: [],
				outputs: [NodeConnectionTypes.AiLanguageModel],
				properties: [],
			},
			async supplyData() {
				// The shape of a LangChain chat model as the node uses it: invoke(messages) → { content }.
				return {
					response: {
						async invoke(input: unknown) {
							messages.push(input);
							return { content: [{ type: 'text', text: ANSWERS }] };
						},
					},
				};
			},
		};
		typeRegistry().register(CHAT_MODEL, chatModel);
	});

	const workflow = (withModel: boolean) => ({
		nodes: [
			{
				id: 's',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'p',
				name: 'Propose',
				type: 'n8n-nodes-dental-pipedrive.migrationMapper',
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					operation: 'proposeMapping',
					sourceSystem: 'dental-exec',
					exportDir: EXPORT,
					today: TODAY,
				},
			},
			...(withModel
				? [
						{
							id: 'm',
							name: 'Model',
							type: CHAT_MODEL,
							typeVersion: 1,
							position: [240, 200],
							parameters: {},
						},
					]
				: []),
		],
		connections: {
			Start: { main: [[{ node: 'Propose', type: 'main', index: 0 }]] },
			...(withModel
				? {
						Model: {
							ai_languageModel: [[{ node: 'Propose', type: 'ai_languageModel', index: 0 }]],
						},
					}
				: {}),
		},
	});

	test('a connected chat model gets the two shape-only messages; its accepted answers are in the output', async () => {
		const result = await runWorkflow(workflow(true));
		expect(result.status).toBe('success');
		const [output] = result.output('Propose');
		const advice = output.advice as { accepted: { column: string }[] };
		expect(advice.accepted.map((a) => a.column)).toEqual([
			'Syntymäaika',
			'Sukunimi',
			'Yhteydenottotapa',
		]);
		expect(output.specHash).toBe(specHash(output.spec as MappingSpec));
		expect(messages).toHaveLength(1);
		const sent = messages[0] as [string, string][];
		expect(sent.map(([role]) => role)).toEqual(['system', 'human']);
		expect(valuesFoundIn(sent.map(([, text]) => text).join('\n'), packageVocabulary())).toEqual([]);
	});

	test('without a model the node proposes exactly what proposeFromExport does', async () => {
		const result = await runWorkflow(workflow(false));
		const [output] = result.output('Propose');
		expect(output.advice).toBeUndefined();
		const expected = await proposeFromExport('dental-exec', folderSource(EXPORT), { today: TODAY });
		expect(output.specHash).toBe(specHash(expected.spec));
	});
});
