import type { INodeProperties } from 'n8n-workflow';

import { malopIdProperty } from '../../../shared/descriptions/malopId';
import type { Operation } from '../operation';
import * as addComment from './addComment';
import * as get from './get';
import * as getComments from './getComments';
import * as getDetails from './getDetails';
import * as getRemediations from './getRemediations';
import { labelOperation } from './labels';
import * as updateStatus from './updateStatus';

export const malopOperations: Record<string, Operation> = {
	get,
	getDetails,
	updateStatus,
	addComment,
	getComments,
	addLabels: labelOperation('add'),
	removeLabels: labelOperation('remove'),
	getRemediations,
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['malop'] } },
	options: [
		{
			name: 'Add Comment',
			value: 'addComment',
			action: 'Add a comment to a malop',
			description: 'Add a comment to the Malop, where analysts see it in the console',
		},
		{
			name: 'Add Labels',
			value: 'addLabels',
			action: 'Add labels to a malop',
			description: 'Label the Malop; labels the console does not have yet are created',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a malop',
			description: 'Get one Malop by its GUID, with its affected machines',
		},
		{
			name: 'Get Comments',
			value: 'getComments',
			action: 'Get the comments of a malop',
			description: 'List the comments on the Malop, oldest first',
		},
		{
			name: 'Get Details',
			value: 'getDetails',
			action: 'Get the processes of a malop',
			description:
				"Get the Malop's suspect processes with their suspicions, machine, user, command line and image hashes",
		},
		{
			name: 'Get Remediations',
			value: 'getRemediations',
			action: 'Get the remediation history of a malop',
			description: 'List the remediations of the Malop, one item per action and target',
		},
		{
			name: 'Remove Labels',
			value: 'removeLabels',
			action: 'Remove labels from a malop',
			description: 'Take labels off the Malop',
		},
		{
			name: 'Update Status',
			value: 'updateStatus',
			action: 'Update the status of a malop',
			description: 'Set the management or investigation status of the Malop, e.g. Closed',
		},
	],
	default: 'get',
};

const malopId = malopIdProperty(
	'GUID of the Malop, legacy (11.-4319097116418812958) or 16 characters (AAAA0ws7O-MUgDmB). Get Malops and the Cybereason Trigger output it as malopId.',
	{ required: true, displayOptions: { show: { resource: ['malop'] } } },
);

export const malopProperties: INodeProperties[] = [
	operation,
	malopId,
	...Object.values(malopOperations).flatMap((operation) => operation.description),
];
