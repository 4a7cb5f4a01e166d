// Isolate and Un-isolate: one logic (isolation.ts), two operations with their own options.
import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { malopIdProperty } from '../../../shared/descriptions/malopId';
import { optionsCollection, type Operation } from '../operation';
import { executeIsolation } from './isolation';

function properties(isolate: boolean): INodeProperties[] {
	const verb = isolate ? 'isolate' : 'un-isolate';
	return [
		{
			displayName: `This operation acts on endpoints: it ${isolate ? 'cuts machines off the network' : 'gives isolated machines their network back'}. Try a run with the Dry Run option first.`,
			name: 'isolationNotice',
			type: 'notice',
			default: '',
		},
		malopIdProperty(
			`Optional: the Malop the ${verb} command is for, recorded with it by the console. Empty: none.`,
		),
		optionsCollection([
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: true,
				description: `Whether to send nothing and output, per item, the exact ${verb} command it would send (status DRY_RUN). The sensors are still looked up.`,
			},
			{
				displayName: 'Max Machines Per Run',
				name: 'maxMachinesPerRun',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: `Refuse the whole run, sending nothing, when it would ${verb} more machines than this. 0 means no cap.`,
			},
			...(isolate
				? [
						{
							displayName: 'Protected Machines',
							name: 'protectedMachines',
							type: 'string' as const,
							typeOptions: { rows: 3 },
							default: '',
							placeholder: 'e.g. dc01, dc02.corp.local, -1826875736.1198775089551518743',
							description:
								'Machine names (case-insensitive) or GUIDs, separated by commas or new lines, that must never be isolated, such as domain controllers. Their items come out as SKIPPED_PROTECTED.',
						},
					]
				: []),
		]),
	];
}

function isolationOperation(isolate: boolean): Operation {
	return {
		description: updateDisplayOptions(
			{ show: { resource: ['machine'], operation: [isolate ? 'isolate' : 'unisolate'] } },
			properties(isolate),
		),
		execute: async (ctx, client) => await executeIsolation(ctx, client, isolate),
	};
}

export const isolate = isolationOperation(true);
export const unisolate = isolationOperation(false);
