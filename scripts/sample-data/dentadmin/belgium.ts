/**
 * Realistic Belgian sample vocabulary: Flemish and Walloon names (with é, ë, ç, ï), streets,
 * communes with their postcodes, and mutualities across the national unions. All invented
 * combinations; no real person.
 */
export const FLEMISH_FIRST_NAMES = {
	M: [
		'Jan',
		'Pieter',
		'Wouter',
		'Joël',
		'Michaël',
		'Raphaël',
		'Björn',
		'Thijs',
		'Lowie',
		'Noël',
		'Jens',
		'Arne',
	],
	F: [
		'Lotte',
		'Ine',
		'Anaïs',
		'Zoë',
		'Chloë',
		'Joëlle',
		'Saartje',
		'Noëmi',
		'Liesbeth',
		'Femke',
		'Ellen',
		'Hannelore',
	],
};

export const WALLOON_FIRST_NAMES = {
	M: [
		'François',
		'Loïc',
		'Gaëtan',
		'Jérôme',
		'Benoît',
		'Frédéric',
		'Cédric',
		'Hervé',
		'Noé',
		'Théo',
		'Aurélien',
		'Maxime',
	],
	F: [
		'Héloïse',
		'Maëlle',
		'Céline',
		'Françoise',
		'Gaëlle',
		'Mélanie',
		'Adélaïde',
		'Inès',
		'Léa',
		'Aurélie',
		'Noémie',
		'Zoé',
	],
};

export const FLEMISH_LAST_NAMES = [
	'Peeters',
	'Janssens',
	'Maes',
	'Jacobs',
	'Mertens',
	'Willems',
	'Claes',
	'Goossens',
	'Wouters',
	'De Smet',
	'Van den Broeck',
	'Vermeulen',
	'De Clercq',
	'Verbruggen',
	'Van Damme',
	'Claeys',
	'Dewaële',
	'Vanhoëcke',
];

export const WALLOON_LAST_NAMES = [
	'Dubois',
	'Lambert',
	'Dupont',
	'Martin',
	'Leroy',
	'Lemaire',
	'François',
	'Lefèvre',
	'Gérard',
	'Renard',
	'Lejeune',
	'Hennebël',
	'Delcourt',
	'Piérard',
	'Collignon',
	'Moreau',
	'Gillès',
	'Dumoulin',
];

export const FLEMISH_STREETS = [
	'Kerkstraat',
	'Stationsstraat',
	'Dorpsstraat',
	'Molenstraat',
	'Nieuwstraat',
	'Schoolstraat',
	'Lindenlaan',
	'Kapelstraat',
];
export const WALLOON_STREETS = [
	"Rue de l'Église",
	'Rue de la Station',
	'Chaussée de Namur',
	'Rue du Moulin',
	'Avenue des Tilleuls',
	'Place Saint-Lambert',
	'Rue des Écoles',
];

export const FLEMISH_COMMUNES: [string, string, string][] = [
	['9000', 'Gent', '09'],
	['2000', 'Antwerpen', '03'],
	['3000', 'Leuven', '016'],
	['8000', 'Brugge', '050'],
	['9300', 'Aalst', '053'],
	['2800', 'Mechelen', '015'],
	['3500', 'Hasselt', '011'],
];

export const WALLOON_COMMUNES: [string, string, string][] = [
	['5000', 'Namur', '081'],
	['4000', 'Liège', '04'],
	['7000', 'Mons', '065'],
	['6000', 'Charleroi', '071'],
	['1300', 'Wavre', '010'],
	['1348', 'Louvain-la-Neuve', '010'],
	['4800', 'Verviers', '087'],
];

/** Mutualities in the insurer file: code, name, website; spread over the unions. */
export const MUTUALITIES: [string, string, string][] = [
	['131', 'Christelijke Mutualiteit Vlaanderen', 'https://www.cm.be'],
	['134', 'Mutualité chrétienne Wallonie-Bruxelles', 'https://www.mc.be'],
	['203', 'Vlaams & Neutraal Ziekenfonds', 'https://www.vnz.be'],
	['319', 'Solidaris Wallonie', 'https://www.solidaris-wallonie.be'],
	['403', 'Liberale Mutualiteit Vlaanderen', 'https://www.lm.be'],
	['509', 'Helan Onafhankelijk Ziekenfonds', 'https://www.helan.be'],
	['600', 'HZIV / CAAMI', 'https://www.caami-hziv.fgov.be'],
	['900', 'Kas der geneeskundige verzorging HR Rail', 'https://www.hr-rail.be'],
];

/** A mutuality patients use that the insurer file leaves out (the reader names it by its union). */
export const MUTUALITY_NOT_IN_FILE = '526';
