import type { INodeProperties, NodeParameterValue } from 'n8n-workflow';

import { malopIdProperty } from '../shared/descriptions/malopId';
import { ACTION_NAMES, ACTION_OPTIONS } from '../shared/descriptions/remediationActions';

export const DEFAULT_TIMEOUT_S = 300;
export const DEFAULT_POLL_INTERVAL_S = 5;
export const DEFAULT_REPLAY_GUARD_S = 600;

/** The canvas subtitle: the chosen action as the dropdown names it ("Isolate Machine", not ISOLATE_MACHINE). */
export const ACTION_SUBTITLE = `={{ (${JSON.stringify(ACTION_NAMES)})[$parameter["actionType"]] || $parameter["actionType"] }}`;

/**
 * A parameter whose default changed in v2 (`property.default`), written as n8n's own nodes do: one copy per version,
 * shown by `@version`. n8n stores only the values that differ from the default, so a v1 workflow keeps
 * `v1Default`. (A collection option is stored with its value once added: there only the value it starts with
 * changes.)
 */
function withV1Default(
	property: INodeProperties,
	v1Default: NodeParameterValue,
): INodeProperties[] {
	return [
		{ ...property, default: v1Default, displayOptions: { show: { '@version': [1] } } },
		{ ...property, displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
	];
}

export const properties: INodeProperties[] = [
	{
		displayName:
			'This node acts on endpoints: it kills processes, quarantines files, isolates machines. Try a run with the Dry Run option first.',
		name: 'destructiveNotice',
		type: 'notice',
		default: '',
	},
	// v1 defaulted to Kill Process, which fails on Get Malops' items (they name no target).
	...withV1Default(
		{
			displayName: 'Action',
			name: 'actionType',
			type: 'options',
			noDataExpression: false,
			options: ACTION_OPTIONS,
			default: 'ISOLATE_MACHINE',
			description:
				'What to do. Each input item asks for this action on one machine and, except Isolate Machine, one target.',
		},
		'KILL_PROCESS',
	),
	{
		displayName:
			'This action needs one item per target. In Get Malops turn on the option Include Remediation Targets, then split the remediationTargets list into one item per target (Split Out node, Include: All Other Fields); Target ID picks up each targetId.',
		name: 'targetNotice',
		type: 'notice',
		default: '',
		displayOptions: { hide: { actionType: ['ISOLATE_MACHINE'] } },
	},
	malopIdProperty(
		'GUID of the Malop the action belongs to. Items of the same Malop are sent in one request.',
		{ required: true },
	),
	{
		displayName: 'Machine GUID',
		name: 'machineGuid',
		type: 'string',
		required: true,
		default: '={{ $json.machineGuid }}',
		description: 'GUID of the affected machine (not its pylumId or sensorId)',
	},
	{
		displayName: 'Target ID',
		name: 'targetId',
		type: 'string',
		required: true,
		default: '={{ $json.targetId }}',
		description:
			"GUID of the element to act on: a process, file, QuarantineFile or registry element. Get Malops lists them in 'remediationTargets'; split that list into one item per target.",
		displayOptions: { hide: { actionType: ['ISOLATE_MACHINE'] } },
	},
	{
		displayName: 'Initiator User Name',
		name: 'initiatorUserName',
		type: 'string',
		default: '',
		placeholder: 'e.g. soc-analyst@acme.com',
		description:
			"Cybereason user recorded as the one who started the remediation. Empty: the credential's username.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Abort On Timeout',
				name: 'abortOnTimeout',
				type: 'boolean',
				default: false,
				description:
					'Whether to abort the remediations still running when the timeout passes (reported as ABORTED once the console confirms). Only with Wait For Completion.',
			},
			{
				displayName: 'Comment On Malop',
				name: 'commentOnMalop',
				type: 'boolean',
				default: true,
				description:
					'Whether to post one comment on each Malop after its actions were sent (and waited for), saying what n8n did: the actions, machines, remediation IDs and statuses, so analysts see it in the console. Never in a dry run. A comment that fails is a warning on the items, not a failed remediation.',
			},
			// A safety switch starts on once added (v1: off, so the next run really acted).
			...withV1Default(
				{
					displayName: 'Dry Run',
					name: 'dryRun',
					type: 'boolean',
					default: true,
					description:
						'Whether to send nothing and output, per item, the exact request it would have sent (status DRY_RUN). Read-only sensor lookups still run when needed to build the request.',
				},
				false,
			),
			{
				displayName: 'Isolation Method',
				name: 'isolationMethod',
				type: 'options',
				options: [
					{
						name: 'Remediate (ISOLATE_MACHINE)',
						value: 'remediate',
						description: 'Send ISOLATE_MACHINE through /rest/remediate, as the vendor guide says',
					},
					{
						name: 'Sensor Command',
						value: 'sensorCommand',
						description:
							"Look up the machine's sensor (pylumId) and send the isolate command, for consoles that refuse ISOLATE_MACHINE",
					},
				],
				default: 'remediate',
				description: 'How Isolate Machine is sent',
			},
			{
				displayName: 'Max Targets Per Run',
				name: 'maxTargetsPerRun',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Refuse the whole run, sending nothing, when it would act on more distinct targets (machine + action + target; an isolation counts once per machine) than this. 0 means no cap.',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: DEFAULT_POLL_INTERVAL_S,
				description: 'How often to read the progress of unfinished remediations while waiting',
			},
			{
				displayName: 'Protected Machines',
				name: 'protectedMachines',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				placeholder: 'e.g. dc01, dc02.corp.local, -1826875736.1198775089551518743',
				description:
					'Machine names (case-insensitive) or GUIDs, separated by commas or new lines, that must never be touched, such as domain controllers. Their items come out as SKIPPED_PROTECTED.',
			},
			{
				displayName: 'Replay Guard Window (Seconds)',
				name: 'replayGuardWindow',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_REPLAY_GUARD_S,
				description:
					"Before sending, read each Malop's remediation history and do not send again an action this user started within this window (on the console's clock) that has not failed, nor isolate a machine its sensor reports isolated (protects against Retry On Fail and re-run executions). If the history cannot be read, nothing is sent for that Malop. 0 turns the check off.",
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_TIMEOUT_S,
				description:
					'How long the whole run may wait for results, across all Malops. Actions still unfinished then are reported as TIMEOUT. A run from the editor holds the editor until then: test with 30 s or less.',
			},
			{
				displayName: 'Wait For Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to poll the console until every action has finished (SUCCESS or FAILURE) or the timeout passes. Off: report the status of the first answer (usually PENDING).',
			},
		],
	},
];
