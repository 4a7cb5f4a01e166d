/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads package.json and the codex file */
// The node's public interface: names, resources and operations with their action sentences, the parameters
// the issue names, and the safety defaults (Dry Run on once added).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Cybereason } from '../../../nodes/Cybereason/Cybereason.node';
import { DEMO_USER, startSimulator } from '../../../simulator';
import { Engine } from '../../../scripts/lib/engine';
import { runNode } from './fixtures';

const { description } = new Cybereason();
const properties = description.properties;
const root = join(__dirname, '..', '..', '..');

function shown(resource: string, operation?: string): INodeProperties[] {
	return properties.filter((p) => {
		const show = p.displayOptions?.show ?? {};
		if (show.resource && !show.resource.includes(resource)) return false;
		if (operation && show.operation && !show.operation.includes(operation)) return false;
		return true;
	});
}

function operations(resource: string): INodePropertyOptions[] {
	const property = properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	);
	return (property?.options ?? []) as INodePropertyOptions[];
}

describe('the Cybereason node', () => {
	it('is node cybereason with the credential, usable as a tool, registered in package.json with a codex', () => {
		expect(description).toEqual(
			expect.objectContaining({
				displayName: 'Cybereason',
				name: 'cybereason',
				usableAsTool: true,
				credentials: [{ name: 'cybereasonApi', required: true }],
			}),
		);
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[] };
		};
		expect(pkg.n8n.nodes).toContain('dist/nodes/Cybereason/Cybereason.node.js');
		const codex = JSON.parse(
			readFileSync(join(root, 'nodes', 'Cybereason', 'Cybereason.node.json'), 'utf8'),
		) as { node: string };
		expect(codex.node).toBe('n8n-nodes-cybereason.cybereason');
	});

	it('has the resources and operations of the issue, each with an action sentence', () => {
		const resource = properties.find((p) => p.name === 'resource');
		expect((resource?.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'file',
			'machine',
			'malop',
			'process',
		]);
		expect(operations('malop').map((o) => [o.value, o.action])).toEqual([
			['addComment', 'Add a comment to a malop'],
			['addLabels', 'Add labels to a malop'],
			['get', 'Get a malop'],
			['getComments', 'Get the comments of a malop'],
			['getDetails', 'Get the processes of a malop'],
			['getRemediations', 'Get the remediation history of a malop'],
			['removeLabels', 'Remove labels from a malop'],
			['updateStatus', 'Update the status of a malop'],
		]);
		expect(operations('machine').map((o) => [o.value, o.action])).toEqual([
			['get', 'Get a machine'],
			['getProcesses', 'Get the processes of a machine'],
			['isolate', 'Isolate a machine'],
			['search', 'Search machines'],
			['unisolate', 'Release a machine from isolation'],
		]);
		expect(operations('file').map((o) => [o.value, o.action])).toEqual([
			['block', 'Block a file hash org wide'],
			['getReputation', 'Get the reputation of a file hash'],
			['search', 'Search files'],
			['unblock', 'Unblock a file hash org wide'],
		]);
		expect(operations('process').map((o) => [o.value, o.action])).toEqual([
			['search', 'Search processes'],
		]);
	});

	it('names the hunting parameters as issue 14 does, and starts Dry Run on once added for block and unblock', () => {
		const names = (resource: string, operation: string) =>
			shown(resource, operation).map((p) => p.name);
		expect(names('file', 'search')).toEqual(
			expect.arrayContaining(['searchBy', 'hash', 'fileName', 'returnAll', 'limit']),
		);
		expect(shown('file', 'search').find((p) => p.name === 'hash')?.default).toBe(
			'={{ $json.hash }}',
		);
		expect(names('process', 'search')).toEqual(
			expect.arrayContaining([
				'processName',
				'machineName',
				'onlyWithSuspicions',
				'returnAll',
				'limit',
			]),
		);
		expect(names('machine', 'getProcesses')).toEqual(
			expect.arrayContaining(['lookupBy', 'machine', 'returnAll', 'limit']),
		);
		expect(names('malop', 'getDetails')).toEqual(
			expect.arrayContaining(['malopId', 'returnAll', 'limit']),
		);
		for (const operation of ['block', 'unblock']) {
			const options = (shown('file', operation).find((p) => p.name === 'options')?.options ??
				[]) as INodeProperties[];
			expect(options.find((o) => o.name === 'dryRun')?.default).toBe(true);
			expect(options.find((o) => o.name === 'maxHashesPerRun')?.default).toBe(0);
			expect(options.some((o) => o.name === 'comment')).toBe(operation === 'block');
		}
	});

	it('names its parameters as the issue does, with the defaults it gives', () => {
		const malopId = shown('malop').find((p) => p.name === 'malopId');
		expect(malopId?.default).toBe('={{ $json.malopId }}');
		const status = shown('malop', 'updateStatus');
		const values = (name: string) =>
			(status.find((p) => p.name === name)?.options as INodePropertyOptions[]).map((o) => o.value);
		expect(values('statusType').sort()).toEqual(['investigation', 'management']);
		expect(values('managementStatus').sort()).toEqual(['CLOSED', 'FP', 'OPEN', 'TODO', 'UNREAD']);
		expect(values('investigationStatus').sort()).toEqual([
			'Closed',
			'OnHold',
			'Pending',
			'ReOpened',
			'UnderInvestigation',
		]);
		expect(shown('malop', 'addComment').map((p) => p.name)).toContain('comment');
		expect(shown('malop', 'addLabels').map((p) => p.name)).toContain('labels');
		const lookup = shown('machine', 'get');
		expect(lookup.find((p) => p.name === 'lookupBy')?.default).toBe('guid');
		expect(
			lookup
				.filter((p) => p.name === 'machine')
				.map((p) => [p.displayOptions?.show?.lookupBy, p.default]),
		).toEqual([
			[['guid'], '={{ $json.machineGuid }}'],
			[['name'], '={{ $json.machineName }}'],
			[['pylumId'], '={{ $json.pylumId }}'],
		]);
		expect(shown('machine', 'search').map((p) => p.name)).toEqual(
			expect.arrayContaining(['returnAll', 'limit', 'filters']),
		);
	});

	it('starts Dry Run on once added, and offers Protected Machines on isolate only', () => {
		const optionsOf = (operation: string) =>
			(shown('machine', operation).find((p) => p.name === 'options')?.options ??
				[]) as INodeProperties[];
		for (const operation of ['isolate', 'unisolate']) {
			const dryRun = optionsOf(operation).find((o) => o.name === 'dryRun');
			expect(dryRun?.default).toBe(true);
			expect(optionsOf(operation).find((o) => o.name === 'maxMachinesPerRun')?.default).toBe(0);
		}
		expect(optionsOf('isolate').map((o) => o.name)).toContain('protectedMachines');
		expect(optionsOf('unisolate').map((o) => o.name)).not.toContain('protectedMachines');
	});

	it('lists every choice and option in alphabetical order, as n8n’s lint asks', () => {
		const unsorted: string[] = [];
		const sorted = (names: string[]) =>
			names.join('\n') ===
			[...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).join('\n');
		const walk = (list: INodeProperties[], at: string) => {
			const names = list.map((p) => p.displayName);
			if (at !== '' && !sorted(names)) unsorted.push(at);
			for (const property of list) {
				const choices = (property.options ?? []) as Array<INodeProperties | INodePropertyOptions>;
				if (choices.length === 0) continue;
				if ('displayName' in choices[0])
					walk(choices as INodeProperties[], `${at}/${property.name}`);
				else {
					const labels = (choices as INodePropertyOptions[]).map((o) => o.name);
					if (!sorted(labels)) unsorted.push(`${at}/${property.name}`);
				}
			}
		};
		walk(properties, '');
		expect(unsorted).toEqual([]);
	});

	it('refuses an operation it does not have', async () => {
		const sim = await startSimulator();
		try {
			const engine = new Engine();
			engine.setCredential({
				baseUrl: sim.url,
				username: DEMO_USER.username,
				password: DEMO_USER.password,
			});
			const result = await runNode(engine, [{}], { resource: 'malop', operation: 'exclude' });
			expect(result.error?.message).toBe(
				'The operation "exclude" of resource "malop" is not supported',
			);
		} finally {
			await sim.close();
		}
	});
});
