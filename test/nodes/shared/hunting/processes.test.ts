import { malopDetailItems } from '../../../../nodes/shared/hunting/malop';
import { machinesByGuid, processItems } from '../../../../nodes/shared/hunting/processes';
import { queryAnswerFacts } from '../../../../nodes/shared/malops/elements';
import type { VisualSearchResponse } from '../../../../nodes/shared/types';
import { describeWithSamples, sample } from '../../CybereasonGetMalops/samples';
import { element, facts } from './fixtures';

const MS = 1_717_000_000_000;

describeWithSamples('the public Malop-processes capture', () => {
	it('xsoar-malop_processes_raw_response: empty values and emptied GUIDs read as unknown, suspicions oldest first', () => {
		const [item] = processItems(
			queryAnswerFacts(sample<VisualSearchResponse>('xsoar-malop_processes_raw_response.json')),
		);
		expect(item).toEqual({
			processGuid: '1589170329.-285868401975015536',
			name: 'bdata.bin',
			commandLine: null,
			pid: 5180,
			machineName: 'desktop',
			machineGuid: '123456',
			user: null,
			parentProcessName: null,
			parentProcessGuid: null,
			imageFileHash: { md5: null, sha1: 'f56238da9fbfa3864d443a85bb80743bd2415682' },
			imageFilePath: null,
			imageFileClassification: 'av_detected',
			creationTime: null,
			endTime: null,
			running: false,
			isMalicious: true,
			suspicions: [
				{ name: 'malwareModuleSuspicion', firstSeen: new Date(1301477329815).toISOString() },
				{ name: 'knownMalwareSuspicion', firstSeen: new Date(4798274876499).toISOString() },
			],
		});
	});
});

const process = (guid: string, machine: [string, string], simple: Record<string, string> = {}) =>
	element(
		{
			elementDisplayName: 'powershell.exe',
			commandLine: 'powershell.exe -enc SQBFAFgA',
			pid: '4242',
			creationTime: String(MS),
			isLiveProcess: 'true',
			'imageFile.md5String': 'AB'.repeat(16),
			'imageFile.sha1String': 'cd'.repeat(20),
			...simple,
		},
		{
			ownerMachine: ['Machine', [machine]],
			calculatedUser: ['User', [['U1', `${machine[1]}\\ann`]]],
			parentProcess: ['Process', [['P0', 'explorer.exe']]],
		},
		{ suspicions: { shellOfNonShellRunnerSuspicion: MS + 5 }, isMalicious: 'False' },
	);

describe('process items', () => {
	it('machine, user (host\\user), command line, parent and both image hashes, times as ISO', () => {
		const [item] = processItems(facts({ P1: process('P1', ['M1', 'ws-1']) }));
		expect(item).toMatchObject({
			processGuid: 'P1',
			name: 'powershell.exe',
			commandLine: 'powershell.exe -enc SQBFAFgA',
			pid: 4242,
			machineName: 'ws-1',
			machineGuid: 'M1',
			user: 'ws-1\\ann',
			parentProcessName: 'explorer.exe',
			parentProcessGuid: 'P0',
			imageFileHash: { md5: 'ab'.repeat(16), sha1: 'cd'.repeat(20) },
			creationTime: new Date(MS).toISOString(),
			endTime: null,
			running: true,
			isMalicious: false,
			suspicions: [
				{ name: 'shellOfNonShellRunnerSuspicion', firstSeen: new Date(MS + 5).toISOString() },
			],
		});
	});
});

describe('Malop details', () => {
	const machines = machinesByGuid(
		facts({
			M1: element({
				elementDisplayName: 'ws-1',
				pylumId: 'PYLUM-1',
				isActiveProbeConnected: 'true',
				isIsolated: 'false',
				osType: 'WINDOWS',
			}),
			M2: element({ elementDisplayName: 'ws-2', isActiveProbeConnected: 'False' }),
		}),
	);

	it("one item per process, with its machine's sensor state", () => {
		const items = malopDetailItems(
			'11.-7',
			facts({ P1: process('P1', ['M1', 'ws-1']), P2: process('P2', ['M2', 'ws-2']) }),
			machines,
		);
		expect(items.map((i) => [i.malopId, i.processGuid, i.pylumId, i.machineConnected])).toEqual([
			['11.-7', 'P1', 'PYLUM-1', true],
			['11.-7', 'P2', null, false],
		]);
		expect(items[0].machineIsolated).toBe(false);
	});

	it('a Malop without suspect processes shows one item per affected machine, or one when none is listed', () => {
		const none = facts({});
		expect(
			malopDetailItems('11.-7', none, machines).map((i) => [i.processGuid, i.machineName]),
		).toEqual([
			[null, 'ws-1'],
			[null, 'ws-2'],
		]);
		const [alone] = malopDetailItems('11.-7', none, new Map());
		expect(alone).toMatchObject({
			malopId: '11.-7',
			processGuid: null,
			name: null,
			machineName: null,
			suspicions: [],
		});
	});
});
