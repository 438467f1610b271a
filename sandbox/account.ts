import { rfc3339, SandboxClock, v1Time } from './clock';
import type { SandboxRandom } from './random';

/**
 * One sandbox instance is one Pipedrive company. Its whole state is plain JSON (`AccountState`)
 * so the state file, the admin snapshot and reset are simple copies. Records are stored in the
 * shape the API returns; objects keyed by integer ids iterate in ascending id order.
 */
export type Rec = Record<string, unknown>;
export type FieldEntity = 'person' | 'organization' | 'deal' | 'product';
export const FIELD_ENTITIES: readonly FieldEntity[] = ['person', 'organization', 'deal', 'product'];

export const COLLECTIONS = [
	'persons',
	'organizations',
	'deals',
	'activities',
	'notes',
	'files',
	'leads',
	'pipelines',
	'stages',
	'activityTypes',
	'leadLabels',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface FieldOption {
	id: number;
	label: string;
	color: string | null;
	add_time: string;
	update_time: string;
}

export interface FieldDef {
	/** Internal order number; the API addresses fields by `field_code`. */
	id: number;
	field_code: string;
	field_name: string;
	field_type: string;
	options: FieldOption[] | null;
	subfields: Array<{ field_code: string; field_name: string; field_type: string }> | null;
	is_custom_field: boolean;
	is_optional_response_field: boolean;
	ui_visibility?: Rec;
	important_fields?: Rec;
	required_fields?: Rec;
	description?: string | null;
	/** Deleted custom fields stay in the state (Pipedrive can restore them) but leave every response. */
	is_deleted: boolean;
	add_time: string;
	update_time: string;
}

export interface SeedUser {
	name: string;
	email: string;
	active?: boolean;
	admin?: boolean;
}

export interface AccountState {
	company: { id: number; name: string; domain: string; country: string };
	nextId: Record<string, number>;
	users: Rec[];
	/** Token → user; never part of a snapshot. */
	tokens: Record<string, { userId: number; kind: 'api' | 'oauth' }>;
	records: Record<Collection, Record<string, Rec>>;
	fields: Record<FieldEntity, FieldDef[]>;
	/** File id → base64 content. */
	fileContents: Record<string, string>;
}

export const ADMIN_USER: SeedUser = {
	name: 'Sandbox Admin',
	email: 'admin@sandbox.test',
	admin: true,
};

const DEFAULT_ACTIVITY_TYPES: Array<[string, string]> = [
	['Call', 'call'],
	['Meeting', 'meeting'],
	['Task', 'task'],
	['Deadline', 'deadline'],
	['Email', 'email'],
	['Lunch', 'lunch'],
];

/** Pipedrive's default pipeline for a new company. */
const DEFAULT_STAGES: Array<[string, number]> = [
	['Qualified', 10],
	['Contact Made', 20],
	['Demo Scheduled', 40],
	['Proposal Made', 60],
	['Negotiations Started', 80],
];

const DEFAULT_LEAD_LABELS: Array<[string, string]> = [
	['Hot', 'red'],
	['Warm', 'yellow'],
	['Cold', 'blue'],
];

type SystemField = [code: string, name: string, type: string];
const SYSTEM_FIELDS: Record<FieldEntity, SystemField[]> = {
	person: [
		['name', 'Name', 'varchar'],
		['first_name', 'First name', 'varchar'],
		['last_name', 'Last name', 'varchar'],
		['owner_id', 'Owner', 'user'],
		['org_id', 'Organization', 'org'],
		['emails', 'Email', 'varchar'],
		['phones', 'Phone', 'phone'],
		['label_ids', 'Labels', 'set'],
		['visible_to', 'Visible to', 'visible_to'],
		['add_time', 'Person created', 'date'],
		['update_time', 'Update time', 'date'],
		['picture_id', 'Profile picture', 'picture'],
		['marketing_status', 'Marketing status', 'status'],
	],
	organization: [
		['name', 'Name', 'varchar'],
		['owner_id', 'Owner', 'user'],
		['address', 'Address', 'address'],
		['label_ids', 'Labels', 'set'],
		['visible_to', 'Visible to', 'visible_to'],
		['website', 'Website', 'varchar'],
		['linkedin', 'LinkedIn profile', 'varchar'],
		['industry', 'Industry', 'enum'],
		['annual_revenue', 'Annual revenue', 'int'],
		['employee_count', 'Number of employees', 'int'],
		['add_time', 'Organization created', 'date'],
		['update_time', 'Update time', 'date'],
	],
	deal: [
		['title', 'Title', 'varchar'],
		['value', 'Value', 'monetary'],
		['owner_id', 'Owner', 'user'],
		['person_id', 'Contact person', 'people'],
		['org_id', 'Organization', 'org'],
		['pipeline_id', 'Pipeline', 'int'],
		['stage_id', 'Stage', 'stage'],
		['status', 'Status', 'status'],
		['probability', 'Probability', 'double'],
		['expected_close_date', 'Expected close date', 'date'],
		['won_time', 'Won time', 'date'],
		['lost_time', 'Lost time', 'date'],
		['close_time', 'Deal closed on', 'date'],
		['lost_reason', 'Lost reason', 'varchar'],
		['label_ids', 'Label', 'set'],
		['visible_to', 'Visible to', 'visible_to'],
		['add_time', 'Deal created', 'date'],
		['update_time', 'Update time', 'date'],
	],
	product: [
		['name', 'Name', 'varchar'],
		['code', 'Product code', 'varchar'],
		['owner_id', 'Owner', 'user'],
	],
};

export interface AccountSeed {
	users: SeedUser[];
	companyId?: number;
}

/** Builds a fresh company: users with tokens, default activity types, pipeline, stages, lead labels. */
export function seedAccount(
	seed: AccountSeed,
	random: SandboxRandom,
	clock: SandboxClock,
): AccountState {
	const now = clock.now();
	const companyId = seed.companyId ?? 100_000 + Math.floor(random.next() * 900_000);
	const state: AccountState = {
		company: {
			id: companyId,
			name: 'Sandbox Dental',
			domain: `sandbox-${companyId}`,
			country: 'BE',
		},
		nextId: {},
		users: [],
		tokens: {},
		records: Object.fromEntries(COLLECTIONS.map((c) => [c, {}])) as AccountState['records'],
		fields: { person: [], organization: [], deal: [], product: [] },
		fileContents: {},
	};
	const users = [ADMIN_USER, ...seed.users];
	for (const u of users) {
		const id = takeId(state, 'user');
		state.users.push(userRecord(id, u, now));
		state.tokens[random.hex(40)] = { userId: id, kind: 'api' };
	}
	state.tokens[`oauth-${random.hex(40)}`] = { userId: 1, kind: 'oauth' };
	seedDefaults(state, random, now);
	return state;
}

/** Everything a new company has besides its users: also what `reset()` restores. */
export function seedDefaults(state: AccountState, random: SandboxRandom, now: number): void {
	DEFAULT_ACTIVITY_TYPES.forEach(([name, key], i) => {
		const id = takeId(state, 'activityTypes');
		state.records.activityTypes[id] = {
			id,
			name,
			icon_key: key,
			color: null,
			order_nr: i + 1,
			key_string: key,
			active_flag: true,
			is_custom_flag: false,
			add_time: rfc3339(now),
			update_time: rfc3339(now),
		};
	});
	const pipelineId = takeId(state, 'pipelines');
	state.records.pipelines[pipelineId] = {
		id: pipelineId,
		name: 'Pipeline',
		order_nr: 1,
		is_deleted: false,
		is_deal_probability_enabled: false,
		add_time: rfc3339(now),
		update_time: rfc3339(now),
	};
	DEFAULT_STAGES.forEach(([name, probability], i) => {
		const id = takeId(state, 'stages');
		state.records.stages[id] = {
			id,
			order_nr: i + 1,
			name,
			is_deleted: false,
			deal_probability: probability,
			pipeline_id: pipelineId,
			is_deal_rot_enabled: false,
			days_to_rotten: null,
			add_time: rfc3339(now),
			update_time: rfc3339(now),
		};
	});
	for (const [name, color] of DEFAULT_LEAD_LABELS) {
		const id = random.uuid();
		state.records.leadLabels[id] = {
			id,
			name,
			color,
			add_time: rfc3339(now),
			update_time: rfc3339(now),
		};
	}
	for (const entity of FIELD_ENTITIES) {
		state.fields[entity] = SYSTEM_FIELDS[entity].map(([code, name, type]) => ({
			id: takeId(state, 'field'),
			field_code: code,
			field_name: name,
			field_type: type,
			options: null,
			subfields: null,
			is_custom_field: false,
			is_optional_response_field: false,
			is_deleted: false,
			add_time: rfc3339(now),
			update_time: rfc3339(now),
		}));
	}
}

/** Ids are increasing integers per counter, never reused within an account (reset starts a fresh account). */
export function takeId(state: AccountState, counter: string): number {
	const id = (state.nextId[counter] ?? 1) as number;
	state.nextId[counter] = id + 1;
	return id;
}

function userRecord(id: number, u: SeedUser, now: number): Rec {
	const admin = u.admin ?? false;
	return {
		id,
		name: u.name,
		default_currency: 'EUR',
		locale: 'en_US',
		lang: 1,
		email: u.email,
		phone: null,
		activated: true,
		last_login: v1Time(now),
		created: v1Time(now),
		modified: v1Time(now),
		has_created_company: id === 1,
		access: [{ app: 'sales', admin, permission_set_id: admin ? 'admin-set' : 'regular-set' }],
		active_flag: u.active ?? true,
		timezone_name: 'Europe/Brussels',
		timezone_offset: '+01:00',
		role_id: 1,
		icon_url: null,
		is_you: false,
		is_deleted: false,
	};
}

export function liveFields(state: AccountState, entity: FieldEntity): FieldDef[] {
	return state.fields[entity].filter((f) => !f.is_deleted);
}

export function liveCustomFields(state: AccountState, entity: FieldEntity): FieldDef[] {
	return state.fields[entity].filter((f) => f.is_custom_field && !f.is_deleted);
}
