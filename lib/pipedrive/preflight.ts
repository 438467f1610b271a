import type { ValidationReport } from '../model/validationReport';
import {
	ACCOUNT_PATHS,
	FIELD_PATHS,
	objectCosts,
	PIPEDRIVE_OBJECTS,
	type PipedriveObject,
} from './objects';
import type { HttpMethod } from '../transport/transport';
import {
	type AuthType,
	burstLimit,
	BURST_WINDOW_MS,
	customFieldCap,
	dailyTokenBudget,
	type PipedrivePlan,
} from './plans';
import { newCustomFields, type ProvisionPlan } from './provision';
import { requiredFields } from './fieldRegistry';
import type { SchemaRequirements } from './schemaRequirements';
import { tokenCost } from './tokenCosts';

/**
 * Before anything is written: how many writes and tokens the migration needs, what the account's
 * plan allows per day, and how many days that takes. An estimate from the reader's counts with
 * the default mapping (one Pipedrive record per source record); every price comes from the
 * committed token-cost table.
 */

/** Records per canonical entity, counted from the reader's items. */
export interface EntityCounts {
	practices: number;
	providers: number;
	insurers: number;
	referralSources: number;
	patients: number;
	appointments: number;
	treatmentPlans: number;
	claims: number;
	payments: number;
	notes: number;
	tasks: number;
	labCases: number;
	documents: number;
}

/**
 * The bill of the plans themselves (lib/preflight/bill.ts): what Commit writes per object, what
 * the full-migration template reads back to verify, and how often Commit runs (once per page).
 */
export interface PlannedBill {
	writes: Record<
		PipedriveObject,
		{ creates: number; updates: number; requests: number; tokens: number }
	>;
	verification: Record<PipedriveObject, { requests: number; tokens: number }>;
	commitRuns: number;
}

export interface PreflightInput {
	totals: ValidationReport['totals'];
	entities: EntityCounts;
	requirements: SchemaRequirements;
	plan: PipedrivePlan;
	seats: number;
	auth?: AuthType;
	/** Patients that also get a lead (outstanding plan, no recent visit), when the Mapper has counted them. */
	leads?: number;
	/** A provisioning dry run against the account; without it everything in the spec counts as missing. */
	provisionPlan?: ProvisionPlan;
	/** Tokens a top-up adds to the plan's daily budget. */
	extraDailyTokens?: number;
	/** The plans' own bill; without it the writes are estimated from the reader's counts. */
	planned?: PlannedBill;
	/**
	 * Share of requests expected to be sent again after a server error or lost answer (0.01 = 1 %).
	 * Default 0: Pipedrive does not charge a 429, and a clean run retries nothing.
	 */
	retryShare?: number;
}

export interface PreflightEstimate {
	writes: Record<PipedriveObject, number>;
	totalWrites: number;
	tokens: {
		/** Reading the account (fields, pipeline, stages, activity types, users) and creating what is missing. */
		provisioning: number;
		creates: Record<PipedriveObject, number>;
		/** Look-ups the commit makes before creating (insurer organizations are matched by name). */
		lookups: number;
		/** Per-run reads of the full-migration template: users/me by every Ledger node run, the verifier's users. */
		setup?: number;
		/** Reconcile's and Verify from source's read-back. */
		verification?: number;
		/** The expected share of retried requests (retryShare). */
		retries?: number;
		/** Writes and verification reads per Pipedrive object. */
		perObject?: Record<PipedriveObject, number>;
		total: number;
	};
	/** Tokens spent on each day of the budget, in order (the last day holds the rest). */
	perDay?: number[];
	requests: number;
	dailyBudget: number;
	days: number;
	/** The least time the burst limit allows for all requests, in minutes (one decimal). */
	burstMinutes: number;
	customFields: { needed: number; existing: number; cap: number; fits: boolean };
	/** Rows the reader quarantined: not migrated until fixed. */
	rowsQuarantined: number;
}

/** Provisioning's reads: users/me twice (registry, user matching), four field lists, pipelines, stages, activity types, users. */
const PROVISIONING_READS: Array<[HttpMethod, string]> = [
	['GET', ACCOUNT_PATHS.me],
	['GET', FIELD_PATHS.person],
	['GET', FIELD_PATHS.organization],
	['GET', FIELD_PATHS.deal],
	['GET', FIELD_PATHS.product],
	['GET', ACCOUNT_PATHS.pipelines],
	['GET', ACCOUNT_PATHS.stages],
	['GET', ACCOUNT_PATHS.activityTypes],
	['GET', ACCOUNT_PATHS.users],
	['GET', ACCOUNT_PATHS.me],
];

/** Ledger node runs besides Commit in the full-migration template: Reconcile, Audit Log, Verify from source. */
const LEDGER_RUNS_AFTER_COMMIT = 3;

export function estimatePreflight(input: PreflightInput): PreflightEstimate {
	const e = input.entities;
	const planned = input.planned;
	const writes = {} as Record<PipedriveObject, number>;
	const creates = {} as Record<PipedriveObject, number>;
	const perObject = {} as Record<PipedriveObject, number>;
	let writeRequests = 0;
	let verification = 0;
	let verificationRequests = 0;
	if (planned) {
		for (const object of PIPEDRIVE_OBJECTS) {
			const written = planned.writes[object];
			writes[object] = written.creates + written.updates;
			creates[object] = written.tokens;
			writeRequests += written.requests;
			verification += planned.verification[object].tokens;
			verificationRequests += planned.verification[object].requests;
			perObject[object] = written.tokens + planned.verification[object].tokens;
		}
	} else {
		Object.assign(writes, {
			organization: e.practices + e.insurers,
			person: e.patients,
			lead: input.leads ?? 0,
			deal: e.treatmentPlans,
			activity: e.appointments + e.tasks + e.labCases,
			note: e.notes,
			file: e.documents,
		});
		for (const object of PIPEDRIVE_OBJECTS) {
			creates[object] = writes[object] * objectCosts(object).create;
			writeRequests += writes[object];
			perObject[object] = creates[object];
		}
	}
	// With the plans, insurer organizations are in the plans already (no name search at commit).
	const lookups = planned ? 0 : e.insurers * (objectCosts('organization').search ?? 0);
	const lookupRequests = planned ? 0 : e.insurers;

	const plan = input.provisionPlan ?? everythingMissing(input.requirements);
	const provisioningCalls: Array<[HttpMethod, string]> = [
		...PROVISIONING_READS,
		...plan.createFields.map((f): [HttpMethod, string] => ['POST', FIELD_PATHS[f.object]]),
		...plan.addOptions.map((a): [HttpMethod, string] => [
			'POST',
			`${FIELD_PATHS[a.definition.object]}/{code}/options`,
		]),
		...(plan.createPipeline ? [['POST', ACCOUNT_PATHS.pipelines] as [HttpMethod, string]] : []),
		...plan.createStages.map((): [HttpMethod, string] => ['POST', ACCOUNT_PATHS.stages]),
		...plan.createActivityTypes.map((): [HttpMethod, string] => [
			'POST',
			ACCOUNT_PATHS.activityTypes,
		]),
	];
	const provisioning = provisioningCalls.reduce(
		(sum, [method, path]) => sum + tokenCost(method, path),
		0,
	);
	// Every Ledger node run reads users/me once (its company); Verify from source also reads the
	// users and users/me itself, to derive owners without the owner map.
	const setupCalls: Array<[HttpMethod, string]> = planned
		? [
				...Array.from(
					{ length: planned.commitRuns + LEDGER_RUNS_AFTER_COMMIT },
					(): [HttpMethod, string] => ['GET', ACCOUNT_PATHS.me],
				),
				['GET', ACCOUNT_PATHS.users],
				['GET', ACCOUNT_PATHS.me],
			]
		: [];
	const setup = setupCalls.reduce((sum, [method, path]) => sum + tokenCost(method, path), 0);

	const totalWrites = PIPEDRIVE_OBJECTS.reduce((sum, o) => sum + writes[o], 0);
	const beforeRetries =
		provisioning +
		setup +
		lookups +
		verification +
		PIPEDRIVE_OBJECTS.reduce((sum, o) => sum + creates[o], 0);
	const retries = Math.round(beforeRetries * (input.retryShare ?? 0));
	const total = beforeRetries + retries;
	const dailyBudget = dailyTokenBudget(input.plan, input.seats) + (input.extraDailyTokens ?? 0);
	const requests =
		provisioningCalls.length +
		setupCalls.length +
		writeRequests +
		lookupRequests +
		verificationRequests;
	const perWindow = burstLimit(input.plan, input.auth ?? 'apiToken');
	const cap = customFieldCap(input.plan);
	const days = Math.ceil(total / dailyBudget);
	return {
		writes,
		totalWrites,
		tokens: {
			provisioning,
			creates,
			lookups,
			...(planned ? { setup, verification, retries, perObject } : {}),
			total,
		} as PreflightEstimate['tokens'],
		...(planned
			? {
					perDay: Array.from({ length: days }, (_, day) =>
						Math.min(dailyBudget, total - day * dailyBudget),
					),
				}
			: {}),
		requests,
		dailyBudget,
		days,
		burstMinutes: Math.round((Math.ceil(requests / perWindow) * BURST_WINDOW_MS) / 6000) / 10,
		customFields: {
			needed: newCustomFields(plan),
			existing: plan.existingCustomFields,
			cap,
			fits: plan.existingCustomFields + newCustomFields(plan) <= cap,
		},
		rowsQuarantined: input.totals.rowsQuarantined,
	} as PreflightEstimate;
}

/** The provisioning plan of an empty account: every field, the pipeline, every stage and activity type. */
function everythingMissing(requirements: SchemaRequirements): ProvisionPlan {
	return {
		createFields: requiredFields(requirements),
		awaitingOptions: [],
		addOptions: [],
		createPipeline: true,
		createStages: [...requirements.pipeline.stages],
		createActivityTypes: requirements.activityTypes.map((t) => ({
			name: t.name,
			iconKey: t.iconKey,
		})),
		existingCustomFields: 0,
	};
}

/** Counts the reader's items: reference entities by kind, and every record inside the patient bundles. */
export function countEntities(items: Array<Record<string, unknown>>): EntityCounts {
	const counts: EntityCounts = {
		practices: 0,
		providers: 0,
		insurers: 0,
		referralSources: 0,
		patients: 0,
		appointments: 0,
		treatmentPlans: 0,
		claims: 0,
		payments: 0,
		notes: 0,
		tasks: 0,
		labCases: 0,
		documents: 0,
	};
	const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
	for (const item of items) {
		switch (item.kind) {
			case 'practice':
				counts.practices++;
				break;
			case 'provider':
				counts.providers++;
				break;
			case 'insurer':
				counts.insurers++;
				break;
			case 'referralSource':
				counts.referralSources++;
				break;
			case 'patientBundle':
				counts.patients++;
				counts.appointments += length(item.appointments);
				counts.treatmentPlans += length(item.treatmentPlans);
				counts.claims += length(item.claims);
				counts.payments += length(item.payments);
				counts.notes += length(item.notes);
				counts.tasks += length(item.tasks);
				counts.labCases += length(item.labCases);
				counts.documents += length(item.documents);
				break;
		}
	}
	return counts;
}
