import { normalizeHeader } from '../../sources/common/headers';
import type { ValueKind } from './sniff';

/**
 * What a column means, whatever the export calls it: header words in English, Dutch and French
 * plus the abbreviations vendors use (`PT_NO`, `SURNM`, `BDAY`, `ZIPCD`), and the kinds of value
 * such a column holds. A profile field finds its concept through its own name.
 */
export interface Concept {
	words: readonly string[];
	kinds: readonly ValueKind[];
}

const TEXT: ValueKind[] = ['text', 'pickList'];
const DATE: ValueKind[] = ['date'];
const DATE_TIME: ValueKind[] = ['dateTime', 'date'];
const MONEY: ValueKind[] = ['money', 'decimal', 'integer'];
const FLAG: ValueKind[] = ['flag'];
const ID: ValueKind[] = ['integer', 'text', 'code'];
const PHONE: ValueKind[] = ['phone'];

export const CONCEPTS: Record<string, Concept> = {
	patientId: {
		words: [
			'patientid',
			'patientnr',
			'patientno',
			'patientnummer',
			'patnummer',
			'patientnumber',
			'ptno',
			'ptid',
			'ptnum',
			'patno',
			'patnum',
			'patid',
			'chartnumber',
			'chartno',
			'mrn',
			'nopatient',
			'numeropatient',
			'dossiernr',
			'clientid',
		],
		kinds: ID,
	},
	lastName: {
		words: [
			'lastname',
			'surname',
			'surnm',
			'lname',
			'lastnm',
			'familyname',
			'famname',
			'achternaam',
			'familienaam',
			'naam',
			'nom',
			'nomdefamille',
		],
		kinds: TEXT,
	},
	firstName: {
		words: [
			'firstname',
			'givenname',
			'givennm',
			'fname',
			'firstnm',
			'frstnm',
			'voornaam',
			'prenom',
		],
		kinds: TEXT,
	},
	preferredName: {
		words: ['preferredname', 'prefname', 'nickname', 'roepnaam', 'surnom'],
		kinds: TEXT,
	},
	birthDate: {
		words: [
			'dob',
			'birthdate',
			'dateofbirth',
			'bday',
			'birthday',
			'birthdt',
			'brthdt',
			'geboortedatum',
			'gebdatum',
			'datenaissance',
			'datedenaissance',
			'ddn',
		],
		kinds: DATE,
	},
	gender: { words: ['gender', 'sex', 'gndr', 'geslacht', 'sexe'], kinds: ['pickList', 'text'] },
	email: {
		words: [
			'email',
			'emails',
			'emailaddress',
			'emailaddr',
			'emailadres',
			'mail',
			'courriel',
			'adressemail',
			'eml',
		],
		kinds: ['email'],
	},
	homePhone: {
		words: [
			'homephone',
			'phone',
			'telephone',
			'tel',
			'hometel',
			'homeph',
			'phoneno',
			'telefoon',
			'telefoonnummer',
			'telephonefixe',
		],
		kinds: PHONE,
	},
	mobilePhone: {
		words: [
			'mobilephone',
			'mobile',
			'cell',
			'cellphone',
			'cellno',
			'mob',
			'gsm',
			'mobiel',
			'portable',
		],
		kinds: PHONE,
	},
	workPhone: {
		words: ['workphone', 'worktel', 'workph', 'businessphone', 'officephone', 'werk', 'bureau'],
		kinds: PHONE,
	},
	street: {
		words: [
			'address1',
			'address',
			'addr',
			'addr1',
			'street',
			'streetaddr',
			'streetaddress',
			'straat',
			'adres',
			'rue',
			'adresse',
		],
		kinds: TEXT,
	},
	address2: { words: ['address2', 'addr2', 'addressline2', 'suite', 'apt'], kinds: TEXT },
	houseNumber: {
		words: ['housenumber', 'houseno', 'huisnummer', 'huisnr', 'numero', 'nr'],
		kinds: ['integer', 'text'],
	},
	box: { words: ['box', 'bus', 'boite'], kinds: ['integer', 'text'] },
	city: {
		words: [
			'city',
			'citynm',
			'town',
			'gemeente',
			'woonplaats',
			'stad',
			'commune',
			'ville',
			'localite',
		],
		kinds: TEXT,
	},
	region: { words: ['state', 'st', 'stcd', 'province', 'provincie', 'region'], kinds: TEXT },
	postalCode: {
		words: [
			'zip',
			'zipcd',
			'zipcode',
			'postalcode',
			'postcode',
			'postcd',
			'codepostal',
			'cp',
			'pc',
		],
		kinds: ['integer', 'text'],
	},
	country: { words: ['country', 'cntry', 'ctry', 'land', 'pays'], kinds: TEXT },
	language: { words: ['language', 'lang', 'preflang', 'taal', 'langue'], kinds: TEXT },
	status: {
		words: ['status', 'ptstatus', 'patstatus', 'statut', 'acctstatus'],
		kinds: ['pickList', 'text'],
	},
	practiceId: {
		words: ['practiceid', 'officeid', 'locationid', 'clinicid', 'locid', 'siteid'],
		kinds: ID,
	},
	providerId: {
		words: [
			'primaryproviderid',
			'providerid',
			'provid',
			'provcd',
			'provider',
			'dentistid',
			'drid',
			'dentist',
			'tandarts',
			'dentiste',
		],
		kinds: ID,
	},
	firstVisit: {
		words: ['firstvisitdate', 'firstvisit', 'firstvisitdt', 'eerstebezoek', 'premierevisite'],
		kinds: DATE,
	},
	lastVisit: {
		words: ['lastvisitdate', 'lastvisit', 'lastvisitdt', 'laatstebezoek', 'dernierevisite'],
		kinds: DATE,
	},
	referral: {
		words: [
			'referralsource',
			'referral',
			'refsrc',
			'referredby',
			'howheard',
			'verwijzing',
			'origine',
		],
		kinds: ['pickList', 'text', 'code'],
	},
	referringDentist: {
		words: [
			'referringdentist',
			'referringdoctor',
			'refdentist',
			'refdr',
			'verwijzendtandarts',
			'dentisteref',
		],
		kinds: TEXT,
	},
	employer: { words: ['employer', 'empl', 'werkgever', 'employeur'], kinds: TEXT },
	guarantor: { words: ['guarantorid', 'guarantor', 'respparty', 'responsibleparty'], kinds: ID },
	carrier: {
		words: [
			'insurancecarrier',
			'carrier',
			'insco',
			'inscarrier',
			'insurance',
			'insurer',
			'verzekeraar',
			'assureur',
		],
		kinds: TEXT,
	},
	policyNumber: {
		words: ['policynumber', 'policyno', 'policy', 'polnum', 'polno', 'polisnummer', 'numeropolice'],
		kinds: ID,
	},
	groupNumber: { words: ['groupnumber', 'groupno', 'grpno', 'grpnum', 'group'], kinds: ID },
	subscriberId: {
		words: ['subscriberid', 'subscriber', 'memberid', 'subid', 'insuredid', 'lidnummer'],
		kinds: ID,
	},
	balance: {
		words: [
			'outstandingbalance',
			'balance',
			'baldue',
			'balancedue',
			'amtdue',
			'saldo',
			'openstaandsaldo',
			'solde',
			'soldedu',
		],
		kinds: MONEY,
	},
	lastPaymentAmount: {
		words: ['lastpaymentamount', 'lastpmtamt', 'lastpayment', 'laatstebetaling', 'dernierpaiement'],
		kinds: MONEY,
	},
	lastPaymentDate: {
		words: ['lastpaymentdate', 'lastpmtdt', 'lastpaid', 'laatstebetaaldatum'],
		kinds: DATE,
	},
	allergy: {
		words: ['allergyflag', 'allergy', 'allergyyn', 'allergies', 'allergie', 'allergieen'],
		kinds: FLAG,
	},
	drugInteraction: {
		words: [
			'druginteractionflag',
			'druginteraction',
			'druginter',
			'drugyn',
			'medinteraction',
			'interaction',
		],
		kinds: FLAG,
	},
	premedication: {
		words: ['premedflag', 'premed', 'premedication', 'premedyn', 'antibioticprophylaxis'],
		kinds: FLAG,
	},
	createdAt: {
		words: [
			'createdat',
			'created',
			'createdts',
			'createdate',
			'datecreated',
			'entrydate',
			'aangemaakt',
			'creele',
			'datecreation',
		],
		kinds: DATE_TIME,
	},
	modifiedAt: {
		words: [
			'modifiedat',
			'modified',
			'modts',
			'lastmodified',
			'datemodified',
			'updatedat',
			'updated',
			'gewijzigd',
			'modifiele',
		],
		kinds: DATE_TIME,
	},
	nationalNumber: {
		words: ['nationalnumber', 'rijksregisternummer', 'rrn', 'insz', 'niss', 'numeronational'],
		kinds: ['integer', 'text', 'code'],
	},
	mutuality: {
		words: ['mutuality', 'mutualiteit', 'mutualite', 'ziekenfonds', 'mutcode'],
		kinds: ['integer', 'text'],
	},
	affiliationNumber: {
		words: ['affiliationnumber', 'aansluitingsnummer', 'numeroaffiliation', 'affno'],
		kinds: ID,
	},
	coPaymentPercentage: {
		words: ['copaymentpercentage', 'copay', 'copaypct', 'copayment', 'remgeld', 'ticketmoderateur'],
		kinds: ['percentage', 'decimal', 'integer'],
	},
	thirdPartyPayer: {
		words: ['thirdpartypayer', 'thirdparty', 'tpp', 'derdebetaler', 'tierspayant'],
		kinds: FLAG,
	},
	appointmentId: {
		words: ['appointmentid', 'apptid', 'apptno', 'visitid', 'afspraaknr', 'norendezvous'],
		kinds: ID,
	},
	start: {
		words: [
			'startdatetime',
			'start',
			'starttime',
			'apptdt',
			'apptdate',
			'appointmentdate',
			'datetime',
			'begin',
			'debut',
		],
		kinds: DATE_TIME,
	},
	end: { words: ['end', 'enddatetime', 'endtime', 'einde', 'fin'], kinds: DATE_TIME },
	duration: {
		words: ['durationminutes', 'duration', 'durmin', 'length', 'mins', 'duur', 'duree'],
		kinds: ['integer'],
	},
	appointmentType: {
		words: ['appointmenttype', 'appttype', 'appttyp', 'visittype', 'type'],
		kinds: ['pickList', 'text'],
	},
	procedureCodes: {
		words: [
			'procedurecodes',
			'proccds',
			'proccodes',
			'cdtcodes',
			'codes',
			'procedures',
			'rizivcode',
			'codeinami',
		],
		kinds: ['code'],
	},
	notes: {
		words: ['notes', 'note', 'remark', 'remarks', 'comments', 'cmt', 'notitie', 'remarque'],
		kinds: ['text'],
	},
	location: { words: ['location', 'room', 'chair', 'locatie', 'lieu'], kinds: TEXT },
};

/** The concept of a profile field, found through the field's own name (`DOB`, `birthDate`). */
export function conceptOfField(field: string): Concept | undefined {
	const name = normalizeHeader(field);
	return Object.values(CONCEPTS).find((concept) => concept.words.includes(name));
}

/** Words of a header: split at separators and at lower→upper case changes (`EMAIL_ADDR`, `EmailAddr`). */
export function headerTokens(header: string): string[] {
	return header
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.split(/[\s_.\-/]+/)
		.map(normalizeHeader)
		.filter((token) => token !== '');
}

/**
 * How well a header names a concept or field, 0..1 with the reason: the whole header is one of
 * its words (1), one of its words inside a longer header (0.75), or a word of the header is one
 * (0.6).
 */
export function headerScore(
	header: string,
	words: readonly string[],
): { score: number; reason?: string } {
	const whole = normalizeHeader(header);
	if (words.includes(whole))
		return { score: 1, reason: `header "${header}" is a known name for it` };
	const inside = words
		.filter((word) => word.length >= 4 && whole.includes(word))
		.sort((a, b) => b.length - a.length)[0];
	if (inside !== undefined)
		return { score: 0.75, reason: `header "${header}" contains "${inside}"` };
	const token = headerTokens(header).find((t) => t.length >= 2 && words.includes(t));
	if (token !== undefined)
		return { score: 0.6, reason: `header "${header}" has the word "${token}"` };
	return { score: 0 };
}
