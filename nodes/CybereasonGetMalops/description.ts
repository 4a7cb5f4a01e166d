import type { INodeProperties } from 'n8n-workflow';

import { returnAllProperties } from '../shared/descriptions/limits';
import {
	malopFilters,
	malopTypesProperty,
	sourceProperty,
} from '../shared/descriptions/malopQuery';
import { DEFAULT_PER_FEATURE_LIMIT } from '../shared/malopQuery/crimes';

export const getMalopsProperties: INodeProperties[] = [
	sourceProperty,
	malopTypesProperty,
	...returnAllProperties({
		hint: 'Counts Malops (the most recently updated first), not machines: each Malop gives one item per affected machine',
	}),
	malopFilters('crimesUnified', {
		after:
			'Only Malops last updated after this time (sent to Cybereason as a malopLastUpdateTime filter)',
		before: 'Only Malops last updated before this time',
	}),
	malopFilters('detectionInbox', {
		after:
			'Start of the inbox time window: Malops created or updated after this time. When empty, the last 30 days.',
		before: 'End of the inbox time window. When empty, now.',
	}),
	malopFilters('malopsManagement', {
		after:
			'Only Malops last updated after this time (sent to Cybereason as the range). When empty, all of them.',
		before: 'Only Malops last updated before this time (sent to Cybereason as the range)',
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
				default: DEFAULT_PER_FEATURE_LIMIT,
				description:
					'How many affected machines and suspects Cybereason lists per Malop. With Return All, Malops with more are asked for again in full.',
				displayOptions: { show: { '/source': ['crimesUnified'] } },
			},
		],
	},
];
