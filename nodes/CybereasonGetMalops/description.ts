import type { INodeProperties } from 'n8n-workflow';

/** Filters shown for one source; the trigger uses them without the dates (its cursor sets the window). */
export function filtersFor(
	source: 'crimesUnified' | 'detectionInbox',
	statuses: Array<{ name: string; value: string }>,
	texts: { closed: string; after?: string; before?: string; statuses: string },
): INodeProperties {
	const dates: INodeProperties[] =
		texts.after === undefined
			? []
			: [
					{
						displayName: 'Updated After',
						name: 'updatedAfter',
						type: 'dateTime',
						default: '',
						description: texts.after,
					},
					{
						displayName: 'Updated Before',
						name: 'updatedBefore',
						type: 'dateTime',
						default: '',
						description: texts.before,
					},
				];
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { source: [source] } },
		options: [
			{
				displayName: 'Include Closed',
				name: 'includeClosed',
				type: 'boolean',
				default: false,
				description: texts.closed,
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: statuses,
				default: [],
				description: texts.statuses,
			},
			...dates,
		],
	};
}

export const CRIMES_STATUSES = [
	{ name: 'Closed', value: 'CLOSED' },
	{ name: 'False Positive', value: 'FP' },
	{ name: 'Open', value: 'OPEN' },
	{ name: 'Reopened', value: 'REOPEN' },
	{ name: 'To Do', value: 'TODO' },
	{ name: 'Unread', value: 'UNREAD' },
];

export const INBOX_STATUSES = [
	{ name: 'Active', value: 'Active' },
	{ name: 'Closed', value: 'Closed' },
	{ name: 'Excluded', value: 'Excluded' },
	{ name: 'Remediated', value: 'Remediated' },
];

export const CRIMES_CLOSED_TEXT =
	'Whether to include Malops whose management status is Closed or False Positive';
export const CRIMES_STATUSES_TEXT =
	'Only Malops with one of these management statuses. Picking Closed or False Positive returns those without Include Closed.';
export const INBOX_CLOSED_TEXT =
	'Whether to include Malops that are Closed or Excluded, or whose investigation an analyst closed';
export const INBOX_STATUSES_TEXT =
	'Only Malops with one of these statuses. Picking Closed or Excluded returns those without Include Closed.';

export const sourceProperty: INodeProperties = {
	displayName: 'Source',
	name: 'source',
	type: 'options',
	options: [
		{
			name: 'AI Hunting Malops (Crimes Unified)',
			value: 'crimesUnified',
			description:
				'EDR Malops with their affected machines and suspects, from POST /rest/crimes/unified (every console version)',
		},
		{
			name: 'Detection Inbox (20.1+)',
			value: 'detectionInbox',
			description:
				'EDR and Endpoint Protection Malops with severity and machine state, from POST /rest/detection/inbox',
		},
	],
	default: 'crimesUnified',
	description: 'Which Cybereason API to ask',
};

export const malopTypesProperty: INodeProperties = {
	displayName: 'Malop Types',
	name: 'malopTypes',
	type: 'multiOptions',
	options: [
		{ name: 'Malop Logon Session', value: 'MalopLogonSession' },
		{ name: 'Malop Process', value: 'MalopProcess' },
	],
	default: ['MalopProcess', 'MalopLogonSession'],
	description:
		'Cybereason builds Malops from both element types, and each needs its own query. A Malop found by both appears once.',
	displayOptions: { show: { source: ['crimesUnified'] } },
};

export const getMalopsProperties: INodeProperties[] = [
	sourceProperty,
	malopTypesProperty,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		hint: 'Counts Malops (the most recently updated first), not machines: each Malop gives one item per affected machine',
		displayOptions: { show: { returnAll: [false] } },
	},
	filtersFor('crimesUnified', CRIMES_STATUSES, {
		closed: CRIMES_CLOSED_TEXT,
		statuses: CRIMES_STATUSES_TEXT,
		after:
			'Only Malops last updated after this time (sent to Cybereason as a malopLastUpdateTime filter)',
		before: 'Only Malops last updated before this time',
	}),
	filtersFor('detectionInbox', INBOX_STATUSES, {
		closed: INBOX_CLOSED_TEXT,
		statuses: INBOX_STATUSES_TEXT,
		after:
			'Start of the inbox time window: Malops created or updated after this time. When empty, the last 30 days.',
		before: 'End of the inbox time window. When empty, now.',
	}),
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		options: [
			{
				name: 'One Item per Malop and Machine',
				value: 'perMachine',
				description: 'Ready for remediation: a Malop on three machines gives three items',
			},
			{
				name: 'One Item per Malop',
				value: 'perMalop',
				description: 'The Malop with its affected machines as a list',
			},
		],
		default: 'perMachine',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Raw Malop',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the untouched Malop as Cybereason returned it, under "raw"',
			},
			{
				displayName: 'Include Remediation Targets',
				name: 'includeRemediationTargets',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask Cybereason which remediation actions it offers for each machine (kill process, quarantine file, …) and add them as remediationTargets',
			},
			{
				displayName: 'Per-Feature Limit',
				name: 'perFeatureLimit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 100,
				description:
					'How many affected machines and suspects Cybereason lists per Malop. With Return All, Malops with more are asked for again in full.',
				displayOptions: { show: { '/source': ['crimesUnified'] } },
			},
		],
	},
];
