// Visual Search over the hunting model: every query shape public clients send, answered from the same
// machines, Malops and targets the rest of the simulator serves.
import { generateDataset, type SimMalop, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';
import {
	dataOf,
	elementsOf,
	filter,
	malopProcessesPath,
	query,
	refs,
	search,
	sv,
	type Element,
} from './visual-search';

const BASE = 1_717_000_000_000;
const dataset = generateDataset({
	malops: 12,
	eppMalops: 3,
	machinesPerMalop: 2,
	sharedMachines: 8,
	logonSessionShare: 0,
	guidStyle: 'mixed',
	seed: 7,
	baseTime: BASE,
});
const windows = dataset.machines.filter((m) => m.osType === 'WINDOWS');
const processMalops = dataset.malops.filter((m) => m.kind === 'MalopProcess');

let sim: Simulator;
let cookie: string;
const vs = (body: unknown) => search(sim, cookie, body);
const fileQuery = (filters: unknown[], customFields?: string[]) =>
	query([{ requestedType: 'File', filters, isResult: true }], customFields ? { customFields } : {});
// XSOAR query_file's customFields.
const FILE_FIELDS = [
	'md5String',
	'ownerMachine',
	'isSigned',
	'sha1String',
	'maliciousClassificationType',
	'correctedPath',
	'companyName',
	'elementDisplayName',
];

function fileTargets(malop: SimMalop) {
	return malop.targets.filter((t) => t.kind === 'file');
}
const malopFilesNamed = (name: string) =>
	dataset.malops.flatMap(fileTargets).filter((t) => t.name === name);

beforeAll(async () => {
	({ sim, cookie } = await started({ dataset, clock: new ManualClock(BASE) }));
});
afterAll(() => sim.close());

describe('File', () => {
	it('by MD5 (XSOAR query_file): the Malop file on each of its machines, with ownerMachine and hashes', async () => {
		const malop = processMalops[0];
		const targets = fileTargets(malop);
		const answer = await vs(
			fileQuery(
				[filter('md5String', [targets[0].md5?.toUpperCase()], 'ContainsIgnoreCase')],
				FILE_FIELDS,
			),
		);
		expect(answer.status).toBe(200);
		const els = elementsOf(answer);
		expect(Object.keys(els).sort()).toEqual(targets.map((t) => t.guid).sort());
		for (const t of targets) {
			const el = els[t.guid];
			expect(refs(el, 'ownerMachine')).toEqual([t.machineGuid]);
			expect(el.elementValues.ownerMachine.elementValues[0]).toMatchObject({
				elementType: 'Machine',
				name: dataset.machines.find((m) => m.guid === t.machineGuid)?.name,
			});
			expect(sv(el, 'md5String')).toBe(t.md5);
			expect(sv(el, 'sha1String')).toBe(t.sha1);
			expect(sv(el, 'elementDisplayName')).toBe(malop.displayName);
			expect(sv(el, 'isSigned')).toBe('false');
		}
		expect(dataOf(answer).totalPossibleResults).toBe(targets.length);
		expect(asRecord(dataOf(answer).queryLimits).groupingFeature).toEqual({
			elementInstanceType: 'File',
			featureName: 'fileHash',
		});
	});

	it('by SHA-1 with Equals and NotEquals', async () => {
		const t = fileTargets(processMalops[1])[0];
		const hit = elementsOf(await vs(fileQuery([filter('sha1String', [t.sha1], 'Equals')])));
		expect(Object.keys(hit)).toContain(t.guid);
		const upper = elementsOf(
			await vs(fileQuery([filter('sha1String', [t.sha1?.toUpperCase()], 'Equals')])),
		);
		expect(Object.keys(upper)).toEqual([]);
		const others = elementsOf(await vs(fileQuery([filter('sha1String', [t.sha1], 'NotEquals')])));
		expect(Object.keys(others)).not.toContain(t.guid);
		expect(Object.keys(others).length).toBeGreaterThan(10);
	});

	it('a benign program is one hash on every machine of its OS, signed; Malop copies of that name are other hashes', async () => {
		const all = Object.values(
			elementsOf(
				await vs(
					fileQuery([filter('elementDisplayName', ['svch*.EXE'], 'MatchesWildcard')], FILE_FIELDS),
				),
			),
		);
		const copies = malopFilesNamed('svchost.exe');
		expect(all).toHaveLength(windows.length + copies.length);
		const benign = all.filter((el) => sv(el, 'isSigned') === 'true');
		expect(benign).toHaveLength(windows.length);
		expect(new Set(benign.map((el) => sv(el, 'md5String'))).size).toBe(1);
		expect(new Set(benign.map((el) => refs(el, 'ownerMachine')[0]))).toEqual(
			new Set(windows.map((m) => m.guid)),
		);
		for (const el of benign) {
			expect(sv(el, 'maliciousClassificationType')).toBe('indifferent');
			expect(sv(el, 'companyName')).toBe('Microsoft Corporation');
			expect(sv(el, 'correctedPath')).toBe('c:\\windows\\system32\\svchost.exe');
			expect(el.isMalicious).toBe(false);
		}
		expect(
			new Set(all.filter((el) => !benign.includes(el)).map((el) => sv(el, 'md5String'))),
		).toEqual(new Set(copies.map((t) => t.md5)));
		const md5 = sv(benign[0], 'md5String');
		const byHash = elementsOf(
			await vs(fileQuery([filter('md5String', [md5], 'ContainsIgnoreCase')])),
		);
		expect(Object.keys(byHash).sort()).toEqual(benign.map((el) => el.guidString).sort());
		const onOne = elementsOf(
			await vs(fileQuery([filter('md5String', [md5]), filter('ownerMachine', [windows[0].name])])),
		);
		expect(Object.values(onOne).map((el) => refs(el, 'ownerMachine')[0])).toEqual([
			windows[0].guid,
		]);
	});

	it('by name with ContainsIgnoreCase and NotContainsIgnoreCase (ANDed)', async () => {
		const some = elementsOf(
			await vs(
				fileQuery([filter('elementDisplayName', ['SVCHOST', 'LSASS'], 'ContainsIgnoreCase')]),
			),
		);
		const copies = [...malopFilesNamed('svchost.exe'), ...malopFilesNamed('lsass_dump.exe')];
		expect(Object.keys(some)).toHaveLength(2 * windows.length + copies.length);
		const none = elementsOf(
			await vs(
				fileQuery(
					[
						filter('elementDisplayName', ['svchost', 'lsass'], 'ContainsIgnoreCase'),
						filter('elementDisplayName', ['svchost'], 'NotContainsIgnoreCase'),
					],
					['elementDisplayName'],
				),
			),
		);
		expect(Object.values(none).map((el) => sv(el, 'elementDisplayName'))).toEqual(
			windows.map(() => 'lsass.exe'),
		);
	});

	it('an EPP Malop file is av_detected with its detection name and suspicion; the console finds it by GUID with dotted machine fields', async () => {
		const epp = dataset.malops.find((m) => m.kind === 'EPP') as SimMalop;
		const t = fileTargets(epp)[0];
		const machine = dataset.machines.find((m) => m.guid === t.machineGuid);
		// XSOAR get_file_machine_details: guidList, `result: true`, DETAILS.
		const answer = await vs(
			query([{ requestedType: 'File', guidList: [t.guid], result: true }], {
				templateContext: 'DETAILS',
				customFields: [
					'ownerMachine',
					'self',
					'maliciousClassificationType',
					'classificationDetectionName',
					'ownerMachine.isActiveProbeConnected',
					'ownerMachine.osVersionType',
					'createdTime',
					'size',
				],
			}),
		);
		const el = elementsOf(answer)[t.guid];
		expect(sv(el, 'maliciousClassificationType')).toBe('av_detected');
		expect(sv(el, 'classificationDetectionName')).toMatch(/^Trojan\.Agent\./);
		expect(sv(el, 'ownerMachine.isActiveProbeConnected')).toBe(String(machine?.connected));
		expect(sv(el, 'ownerMachine.osVersionType')).toBe(machine?.osVersionType);
		expect(Number(sv(el, 'createdTime'))).toBeLessThan(BASE);
		expect(refs(el, 'self')).toEqual([t.guid]);
		expect(Object.keys(el.suspicions)).toEqual(['reportedByAntiMalwareSuspicion']);
		expect(asRecord(dataOf(answer).suspicionsMap).reportedByAntiMalwareSuspicion).toMatchObject({
			totalSuspicions: 1,
			potentialEvidence: ['reportedByAntiMalwareEvidence'],
		});
		expect(dataOf(answer).evidenceMap).toEqual({ reportedByAntiMalwareEvidence: 1 });
	});

	it('answers the default fields when customFields is absent, whatever the templateContext', async () => {
		const answer = await vs(
			query(
				[
					{
						requestedType: 'File',
						filters: [filter('elementDisplayName', ['lsass.exe'])],
						isResult: true,
					},
				],
				{ templateContext: 'OVERVIEW' },
			),
		);
		const el = Object.values(elementsOf(answer))[0];
		expect(Object.keys(el.simpleValues).sort()).toEqual([
			'correctedPath',
			'elementDisplayName',
			'maliciousClassificationType',
			'md5String',
			'sha1String',
		]);
		expect(Object.keys(el.elementValues)).toEqual(['ownerMachine']);
	});
});

describe('Process', () => {
	const machine = windows[0];
	const onMachine = (processFilters: unknown[]) =>
		// XSOAR query_processes: Machine (no filterType) → processes → Process, its PROCESS_INFO fields.
		query(
			[
				{
					requestedType: 'Machine',
					filters: [filter('elementDisplayName', [machine.name])],
					connectionFeature: { elementInstanceType: 'Machine', featureName: 'processes' },
				},
				{ requestedType: 'Process', filters: processFilters, isResult: true },
			],
			{
				customFields: [
					'elementDisplayName',
					'commandLine',
					'parentProcess',
					'ownerMachine',
					'calculatedUser',
					'imageFile',
					'imageFile.sha1String',
					'imageFile.md5String',
					'pid',
					'creationTime',
				],
			},
		);

	it('by name on one machine: machine, user, parent, command line and image hashes', async () => {
		// Injected Malop copies named svchost.exe are not signed; the signed ones are Windows'.
		const answer = await vs(
			onMachine([
				filter('elementDisplayName', ['svchost.exe']),
				filter('imageFile.isSigned', [true]),
			]),
		);
		const els = Object.values(elementsOf(answer));
		expect(els.length).toBeGreaterThan(0);
		const svchostFile = Object.values(
			elementsOf(
				await vs(
					fileQuery([
						filter('elementDisplayName', ['svchost.exe']),
						filter('ownerMachine', [machine.guid]),
					]),
				),
			),
		)[0];
		for (const el of els) {
			expect(sv(el, 'elementDisplayName')).toBe('svchost.exe');
			expect(el.elementValues.ownerMachine.elementValues[0]).toMatchObject({
				guid: machine.guid,
				name: machine.name,
			});
			expect(el.elementValues.calculatedUser.elementValues[0].name).toBe(`${machine.name}\\system`);
			expect(el.elementValues.parentProcess.elementValues[0].name).toBe('services.exe');
			expect(sv(el, 'commandLine')).toMatch(/svchost\.exe -k /);
			expect(sv(el, 'imageFile.md5String')).toBe(sv(svchostFile, 'md5String'));
			expect(sv(el, 'imageFile.sha1String')).toBe(sv(svchostFile, 'sha1String'));
			expect(refs(el, 'imageFile')).toEqual([svchostFile.guidString]);
			expect(Number(sv(el, 'pid'))).toBeGreaterThan(0);
		}
		expect(dataOf(answer).pathResultCounts).toEqual([
			{ featureDescriptor: { elementInstanceType: 'Machine', featureName: null }, count: 1 },
			{
				featureDescriptor: { elementInstanceType: 'Machine', featureName: 'processes' },
				count: els.length,
			},
		]);
		expect(asRecord(dataOf(answer).queryLimits).groupingFeature).toEqual({
			elementInstanceType: 'Process',
			featureName: 'imageFileHash',
		});
	});

	it('the same processes through the ownerMachine facet and a dotted machine feature', async () => {
		const viaPath = Object.keys(
			elementsOf(await vs(onMachine([filter('elementDisplayName', ['svchost.exe'])]))),
		).sort();
		const single = (filters: unknown[]) =>
			vs(query([{ requestedType: 'Process', filters, isResult: true }]));
		const viaFacet = Object.keys(
			elementsOf(
				await single([
					filter('elementDisplayName', ['svchost.exe']),
					filter('ownerMachine', [machine.name]),
				]),
			),
		).sort();
		const viaDotted = Object.keys(
			elementsOf(
				await single([
					filter('elementDisplayName', ['svchost.exe']),
					filter('ownerMachine.elementDisplayName', [machine.name], 'Equals'),
				]),
			),
		).sort();
		expect(viaFacet).toEqual(viaPath);
		expect(viaDotted).toEqual(viaPath);
	});

	it('only with suspicions, as Elastic asks (values [true], "isResult": "true", a time window): the Malop processes', async () => {
		const answer = await vs({
			queryPath: [
				{
					requestedType: 'Process',
					filters: [{ facetName: 'hasSuspicions', values: [true] }],
					isResult: 'true',
				},
			],
			totalResultLimit: 10000,
			perGroupLimit: 100,
			perFeatureLimit: 100,
			templateContext: 'SPECIFIC',
			startTime: 0,
			endTime: BASE,
			customFields: ['elementDisplayName', 'creationTime', 'ownerMachine', 'imageFile.md5String'],
		});
		const suspects = new Set(
			dataset.malops.flatMap((m) =>
				m.targets.filter((t) => t.kind === 'process').map((t) => t.guid),
			),
		);
		const els = elementsOf(answer);
		expect(Object.keys(els).length).toBeGreaterThan(0);
		expect(new Set(Object.keys(els))).toEqual(suspects);
		for (const el of Object.values(els))
			expect(Object.keys(el.suspicions).length).toBeGreaterThan(0);
		const early = elementsOf(
			await vs({
				queryPath: [
					{
						requestedType: 'Process',
						filters: [{ facetName: 'hasSuspicions', values: ['True'] }],
						isResult: 'true',
					},
				],
				startTime: 0,
				endTime: 1,
			}),
		);
		expect(Object.keys(early)).toEqual([]);
	});

	it("a machine's processes (Machine → processes → Process) and the processes feature of a Machine, cut by perFeatureLimit", async () => {
		const all = elementsOf(
			await vs(
				query([
					{
						requestedType: 'Machine',
						guidList: [machine.guid],
						connectionFeature: { elementInstanceType: 'Machine', featureName: 'processes' },
					},
					{ requestedType: 'Process', isResult: true },
				]),
			),
		);
		const count = Object.keys(all).length;
		// Seven ordinary programs on Windows plus the Malop processes of this machine.
		const malopProcesses = dataset.malops
			.flatMap((m) => m.targets)
			.filter((t) => t.kind === 'process' && t.machineGuid === machine.guid);
		expect(count).toBe(7 + malopProcesses.length);
		const m = elementsOf(
			await vs(
				query([{ requestedType: 'Machine', guidList: [machine.guid], isResult: true }], {
					customFields: ['elementDisplayName', 'processes'],
					perFeatureLimit: 2,
				}),
			),
		)[machine.guid];
		expect(m.elementValues.processes.totalValues).toBe(count);
		expect(m.elementValues.processes.elementValues).toHaveLength(2);
	});

	it("a Malop's processes (XSOAR fetch_malop_processes): its process targets, malicious, with suspicions", async () => {
		const malop = processMalops[2];
		const answer = await vs({
			queryPath: malopProcessesPath(malop.guid),
			totalResultLimit: 1000,
			perGroupLimit: 1200,
			perFeatureLimit: 1200,
			templateContext: 'DETAILS',
			queryTimeout: null,
			customFields: [
				'maliciousByDualExtensionByFileRootCause',
				'creationTime',
				'endTime',
				'elementDisplayName',
			],
		});
		const targets = malop.targets.filter((t) => t.kind === 'process');
		const els = elementsOf(answer);
		expect(Object.keys(els).sort()).toEqual(targets.map((t) => t.guid).sort());
		for (const el of Object.values(els)) {
			expect(el.isMalicious).toBe(true);
			expect(Object.keys(el.suspicions).length).toBe(1);
			expect(Object.keys(el.simpleValues).sort()).toEqual([
				'creationTime',
				'elementDisplayName',
				'endTime',
			]);
		}
		expect(dataOf(answer).pathResultCounts).toEqual([
			{ featureDescriptor: { elementInstanceType: 'MalopProcess', featureName: null }, count: 1 },
			{
				featureDescriptor: { elementInstanceType: 'MalopProcess', featureName: 'suspects' },
				count: targets.length,
			},
		]);
	});

	it('a Malop process found by a hunt is a valid KILL_PROCESS target', async () => {
		const malop = processMalops[3];
		const el = Object.values(elementsOf(await vs(query(malopProcessesPath(malop.guid)))))[0];
		const machineGuid = refs(el, 'ownerMachine')[0];
		const answer = await call(sim, 'POST', '/rest/remediate', {
			cookie,
			body: {
				malopId: malop.guid,
				actionsByMachine: {
					[machineGuid]: [{ targetId: el.guidString, actionType: 'KILL_PROCESS' }],
				},
			},
		});
		expect(answer.status).toBe(200);
		expect(asRecord(answer.json).statusLog).toEqual([]);
	});

	it("XSOAR's date filter and guidList-with-result lookups", async () => {
		const malop = processMalops[0];
		const created = await vs(
			query(
				malopProcessesPath(malop.guid, [
					{ facetName: 'creationTime', filterType: 'GreaterThan', values: [BASE], isResult: true },
				]),
			),
		);
		expect(Object.keys(elementsOf(created))).toEqual([]);
		const guids = malop.targets.filter((t) => t.kind === 'process').map((t) => t.guid);
		const byGuid = elementsOf(
			await vs(
				query([{ requestedType: 'Process', guidList: guids, result: true }], {
					templateContext: 'DETAILS',
					customFields: ['imageFile', 'ownerMachine', 'calculatedUser'],
				}),
			),
		);
		const fileGuids = new Set(fileTargets(malop).map((t) => t.guid));
		for (const el of Object.values(byGuid))
			expect(fileGuids.has(refs(el, 'imageFile')[0])).toBe(true);
	});
});

describe('Machine and User', () => {
	it("a Malop's affected machines (MalopProcess → affectedMachines → Machine) with their pylumIds", async () => {
		const malop = processMalops[4];
		const answer = await vs(
			query(
				[
					{
						requestedType: 'MalopProcess',
						guidList: [malop.guid],
						connectionFeature: {
							elementInstanceType: 'MalopProcess',
							featureName: 'affectedMachines',
						},
					},
					{ requestedType: 'Machine', isResult: true },
				],
				{ customFields: ['elementDisplayName', 'pylumId'] },
			),
		);
		const els = elementsOf(answer);
		expect(Object.keys(els).sort()).toEqual(malop.machines.map((m) => m.guid).sort());
		for (const m of malop.machines) expect(sv(els[m.guid], 'pylumId')).toBe(m.pylumId);
	});

	it("XSOAR's connectivity probe: filters without filterType, values [True]", async () => {
		const connected = dataset.machines.find((m) => m.connected);
		const offline = dataset.machines.find((m) => !m.connected);
		const probe = (name: string) =>
			vs(
				query(
					[
						{
							requestedType: 'Machine',
							filters: [
								filter('elementDisplayName', [name]),
								filter('isActiveProbeConnected', [true]),
							],
							isResult: true,
						},
					],
					{ customFields: ['elementDisplayName'] },
				),
			);
		expect(Object.keys(elementsOf(await probe(connected?.name ?? '')))).toEqual([connected?.guid]);
		expect(Object.keys(elementsOf(await probe(offline?.name ?? '')))).toEqual([]);
	});

	it("users with MatchesWildcard (Splunk SOAR), their machine and organisation; a Malop's users among them", async () => {
		const malop = processMalops[0];
		const user = malop.users[0];
		const answer = await vs(
			query(
				[
					{
						requestedType: 'User',
						filters: [
							filter(
								'elementDisplayName',
								[`*${user.name.slice(user.name.indexOf('\\') + 1).toUpperCase()}`],
								'MatchesWildcard',
							),
						],
						isResult: true,
					},
				],
				{
					customFields: [
						'domain',
						'ownerMachine',
						'ownerOrganization.name',
						'isLocalSystem',
						'elementDisplayName',
					],
				},
			),
		);
		const el = elementsOf(answer)[user.guid];
		expect(sv(el, 'elementDisplayName')).toBe(user.name);
		expect(refs(el, 'ownerMachine')).toEqual([user.machineGuid]);
		expect(sv(el, 'ownerOrganization.name')).toBe(dataset.organization);
		expect(sv(el, 'isLocalSystem')).toBe(String(user.localSystem));
	});
});

describe('limits and bad queries', () => {
	const svchost = (extra: Record<string, unknown>) =>
		query(
			[
				{
					requestedType: 'File',
					filters: [filter('elementDisplayName', ['lsass.exe'])],
					isResult: true,
				},
			],
			extra,
		);

	it('totalResultLimit cuts the answer and says so; perGroupLimit keeps N per hash', async () => {
		const cut = await vs(svchost({ totalResultLimit: 3 }));
		expect(Object.keys(elementsOf(cut))).toHaveLength(3);
		expect(dataOf(cut).totalPossibleResults).toBe(windows.length);
		expect(windows.length).toBeGreaterThan(3);
		expect(dataOf(cut).queryTerminated).toBe(true);
		const grouped = await vs(svchost({ perGroupLimit: 2 }));
		expect(Object.keys(elementsOf(grouped))).toHaveLength(2);
		expect(dataOf(grouped).totalPossibleResults).toBe(windows.length);
		expect(asRecord(dataOf(grouped).queryLimits)).toMatchObject({
			perGroupLimit: 2,
			totalResultLimit: 10000,
			perFeatureLimit: 100,
		});
	});

	it('a query whose work exceeds its queryTimeout stops early (queryCostMsPerElement)', async () => {
		const { sim: slow, cookie: c } = await started({
			dataset,
			clock: new ManualClock(BASE),
			hunting: { queryCostMsPerElement: 1000 },
		});
		try {
			const answer = await search(slow, c, svchost({ queryTimeout: 2500 }));
			expect(Object.keys(elementsOf(answer))).toHaveLength(2);
			expect(dataOf(answer).queryTerminated).toBe(true);
			expect(dataOf(answer).totalPossibleResults).toBe(windows.length);
			const patient = await search(slow, c, svchost({ queryTimeout: null }));
			expect(Object.keys(elementsOf(patient))).toHaveLength(windows.length);
		} finally {
			await slow.close();
		}
	});

	it.each([
		[
			'an element type it does not model',
			query([{ requestedType: 'DomainName', isResult: true }]),
			'DomainName',
		],
		[
			'a feature the type lacks',
			query([
				{
					requestedType: 'Machine',
					connectionFeature: { elementInstanceType: 'Machine', featureName: 'suspects' },
				},
				{ requestedType: 'Process', isResult: true },
			]),
			'Machine has no element feature suspects',
		],
		[
			'a feature that leads elsewhere',
			query([
				{
					requestedType: 'Machine',
					connectionFeature: { elementInstanceType: 'Machine', featureName: 'processes' },
				},
				{ requestedType: 'File', isResult: true },
			]),
			'Machine.processes leads to Process, not File',
		],
		[
			'a connectionFeature of another type',
			query([
				{
					requestedType: 'Machine',
					connectionFeature: { elementInstanceType: 'Process', featureName: 'processes' },
				},
				{ requestedType: 'Process' },
			]),
			'elementInstanceType must be Machine',
		],
		[
			'a missing connectionFeature',
			query([{ requestedType: 'Machine' }, { requestedType: 'Process' }]),
			'needs a connectionFeature',
		],
		[
			'an unknown facet',
			query([{ requestedType: 'File', filters: [filter('nope', ['x'])], isResult: true }]),
			'Unknown feature: nope',
		],
		[
			'an unknown filterType',
			query([
				{ requestedType: 'File', filters: [filter('md5String', ['x'], 'Regex')], isResult: true },
			]),
			'Unsupported filterType: Regex',
		],
		[
			'a non-numeric GreaterThan',
			query([
				{
					requestedType: 'Process',
					filters: [filter('creationTime', ['soon'], 'GreaterThan')],
					isResult: true,
				},
			]),
			'needs a numeric value',
		],
		[
			'a bad limit',
			query([{ requestedType: 'File', isResult: true }], { totalResultLimit: -1 }),
			'non-negative integers',
		],
		[
			'a bad queryTimeout',
			query([{ requestedType: 'File', isResult: true }], { queryTimeout: 'long' }),
			'queryTimeout',
		],
	])('answers 400 for %s', async (_what, body, message) => {
		const answer = await vs(body);
		expect(answer.status).toBe(400);
		expect(asRecord(answer.json).message).toContain(message);
	});
});

describe('the model follows the console', () => {
	it('a Malop added later brings its processes and files', async () => {
		const malop = sim.state.addMalop({ machines: [{ guid: windows[1].guid }] });
		const els = elementsOf(await vs(query(malopProcessesPath(malop.guid))));
		expect(Object.keys(els).sort()).toEqual(
			malop.targets
				.filter((t) => t.kind === 'process')
				.map((t) => t.guid)
				.sort(),
		);
		const md5 = malop.targets.find((t) => t.kind === 'file')?.md5;
		expect(
			Object.values(elementsOf(await vs(fileQuery([filter('md5String', [md5])])))).map(
				(el: Element) => refs(el, 'ownerMachine')[0],
			),
		).toEqual([windows[1].guid]);
	});

	it('pythonQuirks spells booleans and nulls like the XSOAR fixtures', async () => {
		const { sim: py, cookie: c } = await started({
			dataset,
			clock: new ManualClock(BASE),
			pythonQuirks: true,
		});
		try {
			const answer = await search(py, c, query(malopProcessesPath(processMalops[0].guid)));
			const el = Object.values(elementsOf(answer))[0];
			expect(el.isMalicious).toBe('True');
			expect(el.labelsIds).toBe('None');
			expect(sv(el, 'isLiveProcess')).toMatch(/^(True|False)$/);
			expect(dataOf(answer).queryTerminated).toBe('False');
			expect(asRecord(answer.json).hidePartialSuccess).toBe('False');
		} finally {
			await py.close();
		}
	});
});

describe('a large model for benchmarks', () => {
	it('answers 10,000 process elements, byte for byte the same from two simulators of one dataset', async () => {
		const big = generateDataset({
			malops: 4,
			machinesPerMalop: 2,
			sharedMachines: 10,
			seed: 3,
			baseTime: BASE,
		});
		// perGroupLimit caps each image hash (the default 100 would keep 100 svchost.exe per hash).
		const body = query([{ requestedType: 'Process', isResult: true }], {
			perGroupLimit: 10000,
			customFields: ['elementDisplayName', 'commandLine', 'ownerMachine', 'imageFile.md5String'],
		});
		const texts: string[] = [];
		for (let i = 0; i < 2; i++) {
			const { sim: s, cookie: c } = await started({
				dataset: big,
				clock: new ManualClock(BASE),
				hunting: { processesPerMachine: 1000 },
			});
			try {
				const answer = await search(s, c, body);
				expect(Object.keys(elementsOf(answer))).toHaveLength(10_000);
				expect(dataOf(answer).totalPossibleResults).toBeGreaterThan(10_000);
				expect(dataOf(answer).queryTerminated).toBe(true);
				texts.push(answer.text);
			} finally {
				await s.close();
			}
		}
		expect(texts[0]).toBe(texts[1]);
	});
});
