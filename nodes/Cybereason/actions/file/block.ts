// Block and Unblock: one logic (reputationChange.ts), two operations with their own options.
import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, type Operation } from '../operation';
import { HASH_DESCRIPTION, hashProperty } from './hash';
import { executeReputationChange } from './reputationChange';

function properties(block: boolean): INodeProperties[] {
	const verb = block ? 'block' : 'unblock';
	return [
		{
			displayName: block
				? 'This operation acts on every machine of the organisation: a blocked file can no longer run anywhere. Try a run with the Dry Run option first.'
				: 'This operation lets a blocked file run again on every machine of the organisation. Try a run with the Dry Run option first.',
			name: 'reputationNotice',
			type: 'notice',
			default: '',
		},
		{
			...hashProperty,
			description: `${HASH_DESCRIPTION} Every hash of every item goes in one request.`,
		},
		optionsCollection([
			...(block
				? [
						{
							displayName: 'Comment',
							name: 'comment',
							type: 'string' as const,
							default: '',
							placeholder: 'e.g. Blocked by n8n for Malop 11.-4319097116418812958',
							description:
								'Why the hash is blocked, stored with it in the console’s Reputations list',
						},
					]
				: []),
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: true,
				description: `Whether to send nothing and output, per item, the exact request it would send to ${verb} the hashes (status DRY_RUN)`,
			},
			{
				displayName: 'Max Hashes Per Run',
				name: 'maxHashesPerRun',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: `Refuse the whole run, sending nothing, when it would ${verb} more hashes than this. 0 means no cap.`,
			},
		]),
	];
}

function reputationOperation(block: boolean): Operation {
	return {
		description: updateDisplayOptions(
			{ show: { resource: ['file'], operation: [block ? 'block' : 'unblock'] } },
			properties(block),
		),
		execute: async (ctx, client) => await executeReputationChange(ctx, client, block),
	};
}

export const block = reputationOperation(true);
export const unblock = reputationOperation(false);
