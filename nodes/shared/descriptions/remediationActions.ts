// The remediation actions as the Remediate node's Action dropdown shows them: the one table of their display
// names, which the canvas subtitle and every error message naming an action read too.
import type { INodePropertyOptions } from 'n8n-workflow';

import type { RemediationActionType } from '../types';

export const ACTION_OPTIONS: Array<INodePropertyOptions & { value: RemediationActionType }> = [
	{
		name: 'Block File',
		value: 'BLOCK_FILE',
		description: 'Make Application Control block the file from now on. Target: the file GUID.',
	},
	{
		name: 'Delete Registry Key',
		value: 'DELETE_REGISTRY_KEY',
		description: 'Remove a malicious registry (autorun) key. Target: the registry element GUID.',
	},
	{
		name: 'Isolate Machine',
		value: 'ISOLATE_MACHINE',
		description:
			'Cut the machine off the network except for the Cybereason console. No target: the machine itself.',
	},
	{
		name: 'Kill Prevent Unsuspend',
		value: 'KILL_PREVENT_UNSUSPEND',
		description:
			'Kill a ransomware process the sensor suspended and keep it from running again. Target: the suspended process GUID.',
	},
	{
		name: 'Kill Process',
		value: 'KILL_PROCESS',
		description: 'Kill the process (for example the Malop root cause). Target: the process GUID.',
	},
	{
		name: 'Quarantine File',
		value: 'QUARANTINE_FILE',
		description: 'Move the file to quarantine on the machine. Target: the file GUID.',
	},
	{
		name: 'Unquarantine File',
		value: 'UNQUARANTINE_FILE',
		description:
			'Restore a quarantined file. Target: the GUID of the QuarantineFile element, not of the original file.',
	},
	{
		name: 'Unsuspend Process',
		value: 'UNSUSPEND_PROCESS',
		description:
			'Resume a process the ransomware protection suspended. Target: the suspended process GUID.',
	},
];

/** Each action's display name, by its Cybereason value. */
export const ACTION_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
	ACTION_OPTIONS.map((option) => [option.value, option.name]),
);

/** An action as the dropdown names it ("Kill Process"); a value that is no action is shown as it is. */
export function actionName(actionType: string): string {
	return Object.prototype.hasOwnProperty.call(ACTION_NAMES, actionType)
		? ACTION_NAMES[actionType]
		: actionType;
}
