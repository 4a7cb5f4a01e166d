import {
	normaliseCrimesMalop,
	normaliseCrimesResponse,
} from '../../../../nodes/shared/malops/crimes';
import { toMachineItems } from '../../../../nodes/shared/malops/items';
import type { CrimesUnifiedResponse, MalopElement } from '../../../../nodes/shared/types';
import { describeWithSamples, sample } from '../../CybereasonGetMalops/samples';
import { BASE, crimesAnswer, element } from './fixtures';

describeWithSamples('the public crimes/unified captures normalise', () => {
	it('crimes/unified raw response (Python-converted "False"/"None", legacy GUIDs)', () => {
		const page = normaliseCrimesResponse(
			sample<CrimesUnifiedResponse>('xsoar-query_malop_raw_response.json'),
			'MalopProcess',
			BASE,
		);
		expect(page).toMatchObject({
			returned: 1,
			totalPossibleResults: 1,
			queryTerminated: false,
			perFeatureLimit: 100,
		});
		expect(page.warning).toBeUndefined();
		const [malop] = page.malops;
		expect(malop).toMatchObject({
			source: 'crimesUnified',
			malopId: '11.-4319097116418812958',
			malopType: 'MalopProcess',
			edr: true,
			displayName: 'userinit.pdf.exe',
			rootCauseElementType: 'File',
			detectionType: 'BLACKLIST',
			status: 'TODO',
			creationTime: new Date(1659517940167).toISOString(),
			lastUpdateTime: new Date(1659518441475).toISOString(),
			closed: false,
			malopUrl: `${BASE}/#/malop/11.-4319097116418812958`,
			machines: [
				{ machineGuid: '-1826875736.1198775089551518743', machineName: 'desktop-j60ivd0' },
			],
			machineCount: 1,
			suspectCount: 8,
			elementValuesMissing: false,
		});
		expect(malop.severity).toBeUndefined();
		expect(malop.suspects).toHaveLength(8);
		expect(malop.suspects?.[0]).toEqual({
			guid: '-1826875736.-3068369950345623259',
			name: 'userinit.pdf.exe',
			elementType: 'Process',
		});
	});

	it('crimes/unified element with real JSON types and 16-character GUIDs (malop_to_incident)', () => {
		const raw = sample<MalopElement>('xsoar-malop_to_incident.json');
		const malop = normaliseCrimesMalop('AAAA096WBtByORIM', raw, 'MalopProcess', BASE);
		expect(malop).toMatchObject({
			malopId: 'AAAA096WBtByORIM',
			displayName: 'bdata.bin',
			status: 'UNREAD',
			detectionType: 'BLACKLIST',
			creationTime: new Date(1671393898844).toISOString(),
			machines: [
				{
					machineGuid: 'S-2-PBCi55eyTiwX',
					machineName: 'microsoftwindowsserver2019datacenterfe80f85cdf802cbfe3de5',
				},
			],
			suspects: [{ guid: 'S-2-PC_TYvnPWzr9', name: 'bdata.bin', elementType: 'Process' }],
		});
		expect(malop.raw).toBe(raw);
	});
});

describe('crimes/unified answers', () => {
	it('keeps a Malop whose elementValues came back as {} and flags it', () => {
		const page = normaliseCrimesResponse(
			crimesAnswer({ 'AAAA0ws7O-MUgDmB': element('AAAA0ws7O-MUgDmB', { empty: true }) }),
			'MalopLogonSession',
			BASE,
		);
		const [malop] = page.malops;
		expect(malop).toMatchObject({
			malopType: 'MalopLogonSession',
			machines: [],
			machineCount: 0,
			suspects: [],
			elementValuesMissing: true,
		});
		const items = toMachineItems(page.malops);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			malopId: 'AAAA0ws7O-MUgDmB',
			machineGuid: null,
			machineName: null,
		});
	});

	it('keeps the true counts when the per-feature limit cut the lists', () => {
		const malop = normaliseCrimesMalop(
			'11.1',
			element('11.1', { machineTotal: 7, suspects: 2, suspectTotal: 9 }),
			'MalopProcess',
			BASE,
		);
		expect(malop.machines).toHaveLength(1);
		expect(malop.machineCount).toBe(7);
		expect(malop.suspectCount).toBe(9);
	});

	it('reads truncation and PARTIAL_SUCCESS from the envelope', () => {
		const body = crimesAnswer(
			{ '11.1': element('11.1') },
			{
				totalPossibleResults: 40,
				queryTerminated: 'True',
				queryLimits: { totalResultLimit: 1, perGroupLimit: 1, perFeatureLimit: 100 },
			},
		);
		body.status = 'PARTIAL_SUCCESS';
		body.failures = 2;
		const page = normaliseCrimesResponse(body, undefined, BASE);
		expect(page).toMatchObject({
			returned: 1,
			totalPossibleResults: 40,
			queryTerminated: true,
			totalResultLimit: 1,
		});
		expect(page.warning).toMatch(/PARTIAL_SUCCESS \(2 server\(s\) failed\)/);
	});

	it('takes the element type from the answer when the caller does not know it', () => {
		const body = crimesAnswer(
			{ '11.1': element('11.1') },
			{
				queryLimits: {
					totalResultLimit: 10,
					perGroupLimit: 10,
					perFeatureLimit: 10,
					groupingFeature: { elementInstanceType: 'MalopLogonSession', featureName: 'self' },
				},
			},
		);
		expect(normaliseCrimesResponse(body, undefined, BASE).malops[0].malopType).toBe(
			'MalopLogonSession',
		);
	});

	it('lists each machine once even if the console repeats it', () => {
		const malop = normaliseCrimesMalop(
			'11.1',
			element('11.1', {
				machines: [
					['m.1', 'a'],
					['m.1', 'a'],
					['m.2', 'b'],
				],
			}),
			'MalopProcess',
			BASE,
		);
		expect(malop.machines.map((m) => m.machineGuid)).toEqual(['m.1', 'm.2']);
		// A repeat is neither a machine the per-feature limit cut nor a malformed reference.
		expect([malop.machineCount, malop.malformed, malop.warnings]).toEqual([2, false, []]);
	});
});

describe('malformed machine and suspect references', () => {
	const withFeature = (name: string, value: unknown) => {
		const raw = element('11.1');
		(raw.elementValues as Record<string, unknown>)[name] = value;
		return normaliseCrimesMalop('11.1', raw, 'MalopProcess', BASE);
	};

	it('does not count unreadable entries as cut by the per-feature limit', () => {
		const broken = withFeature('affectedMachines', {
			totalValues: 5,
			elementValues: [{ guid: 'm.1', name: 'a' }, { name: 'no guid' }, 'text', null],
		});
		// One readable, three unreadable, one more the limit left out.
		expect(broken.machines.map((m) => m.machineGuid)).toEqual(['m.1']);
		expect(broken.machineCount).toBe(2);
		expect(broken.malformed).toBe(true);
		expect(broken.warnings).toEqual([
			"Cybereason sent this Malop's affected machines malformed (3 entries without a GUID): 1 was read, what could not be read is left out of the items",
		]);
	});

	it.each([
		[null, 'affectedMachines is null, not an object', []],
		['x', 'affectedMachines is string, not an object', []],
		[
			{ totalValues: 1, elementValues: { guid: 'm.1' } },
			'affectedMachines.elementValues is not a list',
			[],
		],
		[[{ guid: 'm.1', name: 'a' }], 'affectedMachines is a list, not an object', ['m.1']],
	])('reports affectedMachines %j as malformed', (value, problem, guids) => {
		const malop = withFeature('affectedMachines', value);
		expect(malop.machines.map((m) => m.machineGuid)).toEqual(guids);
		expect(malop.warnings).toEqual([expect.stringContaining(`malformed (${problem})`)]);
	});

	it('reports suspects the same way', () => {
		const malop = withFeature('suspects', { totalValues: 1, elementValues: [{ name: 'x.exe' }] });
		expect(malop.suspects).toEqual([]);
		expect(malop.suspectCount).toBe(0);
		expect(malop.warnings).toEqual([
			"Cybereason sent this Malop's suspects malformed (1 entry without a GUID): none could be read, so its suspects are unknown",
		]);
	});
});
