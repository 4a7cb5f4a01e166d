// Parameters Get Malops and the trigger both show: the source, the Malop types, the filters of each source.
import type { INodeProperties } from 'n8n-workflow';

import type { MalopSource } from '../malops/record';
import { INVESTIGATION_STATUSES, MALOP_SEVERITIES, MMNG_STATUSES } from '../types';

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
			name: 'Detection Inbox (20.1+, Deprecated)',
			value: 'detectionInbox',
			description:
				'EDR and Endpoint Protection Malops with severity and machine state, from POST /rest/detection/inbox (deprecated by Cybereason; may stop working after 23.2.307)',
		},
		{
			name: 'Malops Management (Current Consoles)',
			value: 'malopsManagement',
			description:
				'EDR and Endpoint Protection Malops with investigation status, priority, labels, MITRE tactics and sensor IDs, from POST /rest/mmng/v2/malops',
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

type Options = Array<{ name: string; value: string }>;

/** Cybereason's values as options, named by their words ("OnHold": "On Hold"), in alphabetical order. */
function named(values: readonly string[], names: Record<string, string> = {}): Options {
	return values
		.map((value) => ({ name: names[value] ?? value.replace(/([a-z])([A-Z])/g, '$1 $2'), value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The inbox and mmng/v2 threat states. */
const THREAT_STATUSES = named(MMNG_STATUSES);

function listFilter(
	displayName: string,
	name: string,
	options: Options,
	description: string,
): INodeProperties {
	return { displayName, name, type: 'multiOptions', options, default: [], description };
}

/** Malops management filters the console applies besides the status (and the query checks again). */
const MMNG_FILTERS: INodeProperties[] = [
	listFilter(
		'Investigation Statuses',
		'investigationStatuses',
		named(INVESTIGATION_STATUSES, { ReOpened: 'Reopened' }),
		'Only Malops whose investigation has one of these statuses. Picking Closed returns those without Include Closed.',
	),
	listFilter(
		'Severities',
		'severities',
		named(MALOP_SEVERITIES),
		'Only Malops of these severities',
	),
];

/** Each source's status values, as it spells them, and what Include Closed and Statuses mean there. */
const STATUS_FILTERS: Record<
	MalopSource,
	{
		statuses: Options;
		closed: string;
		picked: string;
		more?: INodeProperties[];
	}
> = {
	crimesUnified: {
		statuses: [
			{ name: 'Closed', value: 'CLOSED' },
			{ name: 'False Positive', value: 'FP' },
			{ name: 'Open', value: 'OPEN' },
			{ name: 'Reopened', value: 'REOPEN' },
			{ name: 'To Do', value: 'TODO' },
			{ name: 'Unread', value: 'UNREAD' },
		],
		closed: 'Whether to include Malops whose management status is Closed or False Positive',
		picked:
			'Only Malops with one of these management statuses. Picking Closed or False Positive returns those without Include Closed.',
	},
	detectionInbox: {
		statuses: THREAT_STATUSES,
		closed:
			'Whether to include Malops that are Closed or Excluded, or whose investigation an analyst closed',
		picked:
			'Only Malops with one of these statuses. Picking Closed or Excluded returns those without Include Closed.',
	},
	malopsManagement: {
		statuses: THREAT_STATUSES,
		closed:
			'Whether to include Malops that are Closed or Excluded, or whose investigation status is Closed',
		picked:
			'Only Malops with one of these statuses (sent to Cybereason). Picking Closed or Excluded returns those without Include Closed.',
		more: MMNG_FILTERS,
	},
};

/** The Filters collection shown for one source; with `dates`, also Updated After / Before (the trigger has none: its cursor sets the window). */
export function malopFilters(
	source: MalopSource,
	dates?: { after: string; before: string },
): INodeProperties {
	const { statuses, closed, picked, more = [] } = STATUS_FILTERS[source];
	const dateFilters: INodeProperties[] = dates
		? [
				{
					displayName: 'Updated After',
					name: 'updatedAfter',
					type: 'dateTime',
					default: '',
					description: dates.after,
				},
				{
					displayName: 'Updated Before',
					name: 'updatedBefore',
					type: 'dateTime',
					default: '',
					description: dates.before,
				},
			]
		: [];
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { source: [source] } },
		// In alphabetical order, as n8n lists collection options.
		options: [
			{
				displayName: 'Include Closed',
				name: 'includeClosed',
				type: 'boolean',
				default: false,
				description: closed,
			},
			...more,
			listFilter('Statuses', 'statuses', statuses, picked),
			...dateFilters,
		],
	};
}
