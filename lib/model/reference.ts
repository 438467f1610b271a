import { z } from 'zod';
import { Address, recordBase } from './primitives';

/** A practice or one location of a group: becomes a Pipedrive organization. */
export const Practice = z.object({
	kind: z.literal('practice'),
	...recordBase,
	name: z.string().min(1),
	address: Address.optional(),
	phone: z.string().optional(),
	email: z.string().optional(),
	website: z.string().optional(),
});
export type Practice = z.infer<typeof Practice>;

export const ProviderRole = z.enum([
	'dentist',
	'hygienist',
	'specialist',
	'assistant',
	'secretary',
	'other',
]);

/** A dentist, hygienist, assistant or secretary: matched to a Pipedrive user by email, never created. */
export const Provider = z.object({
	kind: z.literal('provider'),
	...recordBase,
	firstName: z.string().optional(),
	lastName: z.string().min(1),
	email: z.string().optional(),
	role: ProviderRole.optional(),
	/** The role as the source wrote it (`DDS`, `Tandarts`, `Dentiste`), for the review list. */
	roleLabel: z.string().optional(),
	practiceKey: z.string().optional(),
	active: z.boolean().default(true),
});
export type Provider = z.infer<typeof Provider>;

/** An insurer (carrier, Belgian mutuality): a Pipedrive organization matched by name and code. */
export const Insurer = z.object({
	kind: z.literal('insurer'),
	...recordBase,
	code: z.string().optional(),
	name: z.string().min(1),
	/** Belgian national union derived from the first digit of the mutuality code. */
	union: z.object({ code: z.string(), name: z.string() }).optional(),
	address: Address.optional(),
	phone: z.string().optional(),
	email: z.string().optional(),
	website: z.string().optional(),
	policyPrefix: z.string().optional(),
	reimbursementTier: z.string().optional(),
});
export type Insurer = z.infer<typeof Insurer>;

/** One value of the referral pick-list: becomes an option of the referral enum field. */
export const ReferralSource = z.object({
	kind: z.literal('referralSource'),
	...recordBase,
	code: z.string().min(1),
	label: z.string().min(1),
	referralKind: z.enum(['patient', 'dentist', 'marketing', 'other']).optional(),
});
export type ReferralSource = z.infer<typeof ReferralSource>;

export const ReferenceEntity = z.discriminatedUnion('kind', [
	Practice,
	Provider,
	Insurer,
	ReferralSource,
]);
export type ReferenceEntity = z.infer<typeof ReferenceEntity>;
