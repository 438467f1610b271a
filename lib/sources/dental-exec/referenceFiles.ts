import type { Provider, ReferralSource } from '../../model';
import { keyOf, recordBase, type ReferenceFileSpec } from '../common';
import { ADDRESS_COLUMNS, addressOf, column, PRACTICE_ID, PROVIDER_ID } from './columns';

export const practicesFile: ReferenceFileSpec = {
	role: 'reference',
	name: 'practices.csv',
	fileNames: ['practices.csv', 'locations.csv'],
	entity: 'practice',
	idField: 'PracticeID',
	columns: [
		{ ...PRACTICE_ID, required: true },
		column('Name', 'text', { required: true, synonyms: ['PracticeName', 'LocationName'] }),
		...ADDRESS_COLUMNS,
		column('Phone', 'phone', { synonyms: ['PhoneNumber', 'Telephone'] }),
		column('Website', 'text', { synonyms: ['Web', 'URL'] }),
		column('Email', 'email', { synonyms: ['EmailAddress'] }),
	],
	build(row, ctx) {
		return {
			kind: 'practice',
			...recordBase(ctx, 'practice', row, row.text('PracticeID') as string),
			name: row.text('Name') as string,
			address: addressOf(row),
			phone: row.text('Phone'),
			email: row.text('Email'),
			website: row.text('Website'),
		};
	},
};

export const providersFile: ReferenceFileSpec = {
	role: 'reference',
	name: 'providers.csv',
	fileNames: ['providers.csv'],
	entity: 'provider',
	idField: 'ProviderID',
	columns: [
		{ ...PROVIDER_ID, required: true },
		column('LastName', 'text', { required: true, synonyms: ['Surname'] }),
		column('FirstName', 'text', { synonyms: ['GivenName'] }),
		// Required by the layout: providers are matched to Pipedrive users by email.
		column('Email', 'email', { required: true, synonyms: ['EmailAddress'] }),
		column('Role', 'choice', {
			openValues: true,
			synonyms: ['Title', 'ProviderType'],
			values: {
				DDS: 'dentist',
				DMD: 'dentist',
				Dentist: 'dentist',
				RDH: 'hygienist',
				Hygienist: 'hygienist',
				Specialist: 'specialist',
				Assistant: 'assistant',
				Secretary: 'secretary',
			},
		}),
		PRACTICE_ID,
		column('Active', 'boolean', { synonyms: ['IsActive'] }),
	],
	build(row, ctx) {
		return {
			kind: 'provider',
			...recordBase(ctx, 'provider', row, row.text('ProviderID') as string),
			firstName: row.text('FirstName'),
			lastName: row.text('LastName') as string,
			email: row.text('Email'),
			role: (row.choice('Role') ??
				(row.text('Role') === undefined ? undefined : 'other')) as Provider['role'],
			roleLabel: row.text('Role'),
			practiceKey: keyOf(ctx, 'practice', row.text('PracticeID')),
			active: row.boolean('Active') ?? true,
		};
	},
};

export const referralSourcesFile: ReferenceFileSpec = {
	role: 'reference',
	name: 'referral_sources.csv',
	fileNames: ['referral_sources.csv', 'referralsources.csv', 'referrals.csv'],
	entity: 'referralSource',
	idField: 'Code',
	columns: [
		column('Code', 'text', { required: true, synonyms: ['ReferralCode', 'ID'] }),
		column('Label', 'text', { required: true, synonyms: ['Name', 'Description'] }),
		column('Kind', 'choice', {
			values: { Patient: 'patient', Dentist: 'dentist', Marketing: 'marketing', Other: 'other' },
			synonyms: ['Type'],
		}),
	],
	build(row, ctx) {
		return {
			kind: 'referralSource',
			...recordBase(ctx, 'referralSource', row, row.text('Code') as string),
			code: row.text('Code') as string,
			label: row.text('Label') as string,
			referralKind: row.choice('Kind') as ReferralSource['referralKind'],
		};
	},
};
