// What the editor shows for Remediate: the canvas subtitle, the target hint, and one table of action names.
import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CybereasonRemediate } from '../../../nodes/CybereasonRemediate/CybereasonRemediate.node';
import { ACTION_OPTIONS, actionName } from '../../../nodes/shared/descriptions/remediationActions';
import { REMEDIATION_ACTION_TYPES } from '../../../nodes/shared/types';
import { Engine } from '../../../scripts/lib/engine';
import { REMEDIATE_TYPE } from './fixtures';

const { description } = new CybereasonRemediate();

/** The subtitle as the editor computes it for a node on the canvas (defaults applied for its version). */
function subtitle(typeVersion: number, parameters: INodeParameters): unknown {
	const workflow = new Engine().buildWorkflow({
		nodes: [{ name: 'Remediate', type: REMEDIATE_TYPE, typeVersion, parameters }],
	});
	const node = workflow.getNode('Remediate')!;
	return workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {});
}

describe('Remediate in the editor', () => {
	it('shows the action on the canvas as the dropdown names it', () => {
		expect(subtitle(2, {})).toBe('Isolate Machine');
		expect(subtitle(1, {})).toBe('Kill Process');
		for (const option of ACTION_OPTIONS) {
			expect(subtitle(2, { actionType: option.value })).toBe(option.name);
		}
		expect(subtitle(2, { actionType: 'SOMETHING_NEW' })).toBe('SOMETHING_NEW');
	});

	it('names every action type once, from the dropdown options', () => {
		expect(ACTION_OPTIONS.map((o) => o.value).sort()).toEqual([...REMEDIATION_ACTION_TYPES].sort());
		const action = description.properties.filter((p) => p.name === 'actionType');
		expect(action.map((p) => p.options)).toEqual([ACTION_OPTIONS, ACTION_OPTIONS]);
		expect(actionName('KILL_PREVENT_UNSUSPEND')).toBe('Kill Prevent Unsuspend');
		expect(actionName('toString')).toBe('toString');
	});

	it('points every action on a target to Include Remediation Targets and Split Out, and not Isolate Machine', () => {
		const notice = description.properties.find((p) => p.name === 'targetNotice')!;
		const node = { typeVersion: 2 } as INode;
		const shown = (actionType: string) =>
			NodeHelpers.displayParameter({ actionType }, notice, node, description);
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toContain('Include Remediation Targets');
		expect(notice.displayName).toContain('Split Out');
		expect(shown('ISOLATE_MACHINE')).toBe(false);
		for (const type of REMEDIATION_ACTION_TYPES.filter((t) => t !== 'ISOLATE_MACHINE')) {
			expect(shown(type)).toBe(true);
		}
	});
});
