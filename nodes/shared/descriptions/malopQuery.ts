// Parameters Get Malops and the trigger both show: the source, the Malop types, the filters of each source.
import type { INodeProperties } from 'n8n-workflow';

import type { MalopSource } from '../malops/record';

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

/** Each source's status values, as it spells them, and what Include Closed and Statuses mean there. */
const STATUS_FILTERS: Record<
	MalopSource,
	{ statuses: Array<{ name: string; value: string }>; closed: string; picked: string }
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
		statuses: [
			{ name: 'Active', value: 'Active' },
			{ name: 'Closed', value: 'Closed' },
			{ name: 'Excluded', value: 'Excluded' },
			{ name: 'Remediated', value: 'Remediated' },
		],
		closed:
			'Whether to include Malops that are Closed or Excluded, or whose investigation an analyst closed',
		picked:
			'Only Malops with one of these statuses. Picking Closed or Excluded returns those without Include Closed.',
	},
};

/** The Filters collection shown for one source; with `dates`, also Updated After / Before (the trigger has none: its cursor sets the window). */
export function malopFilters(
	source: MalopSource,
	dates?: { after: string; before: string },
): INodeProperties {
	const { statuses, closed, picked } = STATUS_FILTERS[source];
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
		options: [
			{
				displayName: 'Include Closed',
				name: 'includeClosed',
				type: 'boolean',
				default: false,
				description: closed,
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: statuses,
				default: [],
				description: picked,
			},
			...dateFilters,
		],
	};
}
