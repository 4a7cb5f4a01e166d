import type { INodeProperties } from 'n8n-workflow';

import {
	malopFilters,
	malopTypesProperty,
	sourceProperty,
} from '../shared/descriptions/malopQuery';

export const DEFAULT_OVERLAP_MINUTES = 10;
export const DEFAULT_REMEMBER_DAYS = 30;

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		options: [
			{
				name: 'New Malop Machine',
				value: 'newMalopMachine',
				// The nodes panel names trigger actions "On <option name>" in lower case ("On new malop machine") unless
				// the option has its own action.
				action: 'On new Malop machine',
				description:
					'Once for each (Malop, machine) pair not seen before: a new Malop fires once per affected machine, and a machine added later to a known Malop fires alone',
			},
			{
				name: 'Malop Updated',
				value: 'malopUpdated',
				action: 'On Malop updated',
				description:
					'Once per Malop update (each new last-update time), with one item per affected machine',
			},
		],
		default: 'newMalopMachine',
	},
	sourceProperty,
	malopTypesProperty,
	malopFilters('crimesUnified'),
	malopFilters('detectionInbox'),
	malopFilters('malopsManagement'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Remediation Targets',
				name: 'includeRemediationTargets',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask Cybereason which remediation actions it offers for each machine and add them as remediationTargets',
			},
			{
				displayName: 'Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_OVERLAP_MINUTES,
				description:
					'How far back each poll looks again, for updates the console reports late or a clock difference between n8n and the console. What was already emitted is not emitted again.',
			},
			{
				displayName: 'Remember Malops For (Days)',
				name: 'rememberDays',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_REMEMBER_DAYS,
				description:
					'How long the trigger remembers which machines of a Malop it has already emitted. A machine added to a Malop that was not updated for longer than this fires as new.',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'dateTime',
				default: '',
				description:
					'On first activation, also emit Malops updated since this time. When empty, the trigger starts from the moment it is activated and emits nothing older.',
			},
		],
	},
];
