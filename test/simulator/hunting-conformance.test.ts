// The hunting and reputation answers against the batch-2 captures in ../shared/cybereason-samples:
// each query is sent as the client behind the capture sends it, and the answer must have the capture's
// keys and value types. Skipped where that folder is absent.
import { generateDataset, type SimMalop, type Simulator } from '../../simulator';

import { asRecord, call, ManualClock, started } from './helpers';
import { describeWithSamples, expectShape, firstValue, sample, withEmptyResults } from './samples';
import { dataOf, elementsOf, filter, malopProcessesPath, query, search, sv } from './visual-search';

const BASE = 1_717_000_000_000;
// Suspicion and evidence names are data: entries are compared with the capture's first entry.
const MAPS = ['suspicions', 'suspicionsMap', 'evidenceMap'];
// Envelope keys some captures were saved without (the full envelope is in xsoar-get_machine_guid).
const ENVELOPE_EXTRA = [
	'hidePartialSuccess',
	'message',
	'expectedResults',
	'failures',
	'failedServersInfo',
];
const DATA_EXTRA = ['guids', 'paginationToken', 'executionUUID', 'quapiMeasurementData'];
const machineQuery = (filters: unknown[]) =>
	query([{ requestedType: 'Machine', filters, isResult: true }], {
		customFields: ['elementDisplayName'],
	});

describeWithSamples.each([false, true])('hunting conformance (pythonQuirks %s)', (pythonQuirks) => {
	const dataset = generateDataset({
		malops: 30,
		eppMalops: 4,
		machinesPerMalop: 2,
		sharedMachines: 10,
		logonSessionShare: 0,
		emptyElementValuesShare: 0.3,
		seed: 23,
		baseTime: BASE,
	});
	let sim: Simulator;
	let cookie: string;
	const vs = (body: unknown) => search(sim, cookie, body);
	const element = (answer: Awaited<ReturnType<typeof vs>>) =>
		firstValue(dataOf(answer).resultIdToElementDataMap);
	const captured = (name: string) =>
		firstValue(asRecord(asRecord(sample(name)).data ?? sample(name)).resultIdToElementDataMap);

	beforeAll(async () => {
		({ sim, cookie } = await started({ dataset, pythonQuirks, clock: new ManualClock(BASE) }));
	});
	afterAll(() => sim.close());

	it('File by hash (XSOAR query_file) matches xsoar-file_outputs', async () => {
		const svchost = await vs(
			query(
				[
					{
						requestedType: 'File',
						filters: [filter('elementDisplayName', ['svchost.exe'])],
						isResult: true,
					},
				],
				{ customFields: ['md5String', 'isSigned'] },
			),
		);
		const md5 = Object.values(elementsOf(svchost)).find(
			(el) => sv(el, 'isSigned')?.toLowerCase() === 'true',
		)?.simpleValues.md5String.values[0];
		const answer = await vs(
			query(
				[
					{
						requestedType: 'File',
						filters: [filter('md5String', [md5], 'ContainsIgnoreCase')],
						isResult: true,
					},
				],
				{
					customFields: [
						'md5String',
						'ownerMachine',
						'avRemediationStatus',
						'isSigned',
						'signatureVerified',
						'sha1String',
						'maliciousClassificationType',
						'createdTime',
						'modifiedTime',
						'size',
						'correctedPath',
						'productName',
						'productVersion',
						'companyName',
						'internalName',
						'elementDisplayName',
					],
				},
			),
		);
		expect(Object.keys(elementsOf(answer)).length).toBeGreaterThan(1);
		// The capture lacks three fields XSOAR asks for and the simulator has.
		for (const el of Object.values(elementsOf(answer)))
			expectShape(captured('xsoar-file_outputs.json'), el, 'file', {
				extra: ['signatureVerified', 'size', 'productName'],
				maps: MAPS,
			});
	});

	it('File by GUID with machine details (XSOAR get_file_machine_details) matches xsoar-machine_outputs', async () => {
		const epp = dataset.malops.find((m) => m.kind === 'EPP') as SimMalop;
		const file = epp.targets.find((t) => t.kind === 'file');
		const answer = await vs(
			query([{ requestedType: 'File', guidList: [file?.guid], result: true }], {
				templateContext: 'DETAILS',
				customFields: [
					'ownerMachine',
					'self',
					'elementDisplayName',
					'correctedPath',
					'canonizedPath',
					'mount',
					'mountedAs',
					'createdTime',
					'modifiedTime',
					'md5String',
					'sha1String',
					'productType',
					'companyName',
					'productName',
					'productVersion',
					'signerInternalOrExternal',
					'signedInternalOrExternal',
					'signatureVerifiedInternalOrExternal',
					'signedByMicrosoft',
					'extensionType',
					'size',
					'avRemediationStatus',
					'classificationDetectionName',
					'avScanTime',
					'relatedToMalop',
					'isSuspicious',
					'maliciousClassificationType',
					'classificationBlocking',
					'isDownloadedFromInternet',
					'ownerMachine.isActiveProbeConnected',
					'ownerMachine.osVersionType',
					'quarantineVersion',
					'originalVersion',
				],
			}),
		);
		const capture = sample('xsoar-machine_outputs.json');
		expectShape(withEmptyResults(capture), withEmptyResults(answer.json), 'envelope', {
			extra: [...ENVELOPE_EXTRA, ...DATA_EXTRA],
			maps: MAPS,
		});
		// The console adds evidence features by itself (reportedByAntiMalwareEvidence); the simulator answers what was asked.
		expectShape(captured('xsoar-machine_outputs.json'), element(answer), 'file', {
			extra: [
				'createdTime',
				'modifiedTime',
				'companyName',
				'productName',
				'size',
				'relatedToMalop',
			],
			missing: ['reportedByAntiMalwareEvidence'],
			maps: MAPS,
		});
	});

	it("a Malop's processes (XSOAR malop_processes) match xsoar-malop_processes_raw_response", async () => {
		const malop = dataset.malops.find(
			(m) => m.kind === 'MalopProcess' && m.targets.some((t) => t.kind === 'process'),
		) as SimMalop;
		const answer = await vs({
			queryPath: malopProcessesPath(malop.guid),
			totalResultLimit: 1000,
			perGroupLimit: 1200,
			perFeatureLimit: 1200,
			templateContext: 'MALOP',
			queryTimeout: null,
		});
		const capture = sample('xsoar-malop_processes_raw_response.json');
		expectShape(withEmptyResults(capture), withEmptyResults(answer.json), 'envelope', {
			extra: ['failedServersInfo', ...DATA_EXTRA],
			maps: MAPS,
		});
		expect(Object.keys(elementsOf(answer)).length).toBeGreaterThan(0);
		for (const el of Object.values(elementsOf(answer))) {
			expectShape(captured('xsoar-malop_processes_raw_response.json'), el, 'process', {
				// Not modelled: loaded modules and the evidences built on them; the rest appear when they apply.
				missing: [
					'malwareModuleEvidence',
					'malwareByHashReputation',
					'loadedModules',
					'imageFileUnsignedHasSignedVersionEvidence',
					'systemUserEvidence',
					'malwareEvidence',
					'nonExecutableExtensionEvidence',
				],
				maps: MAPS,
			});
		}
	});

	it('User (XSOAR query_user) matches xsoar-query_user_raw_response', async () => {
		const user = dataset.malops[0].users[0];
		const answer = await vs(
			query(
				[
					{
						requestedType: 'User',
						filters: [filter('elementDisplayName', [user.name], 'ContainsIgnoreCase')],
						isResult: true,
					},
				],
				{
					customFields: [
						'domain',
						'ownerMachine',
						'ownerOrganization',
						'isLocalSystem',
						'elementDisplayName',
					],
				},
			),
		);
		const capture = sample('xsoar-query_user_raw_response.json');
		expectShape(withEmptyResults(capture), withEmptyResults(answer.json), 'envelope', {
			extra: ENVELOPE_EXTRA,
		});
		expectShape(
			captured('xsoar-query_user_raw_response.json'),
			elementsOf(answer)[user.guid],
			'user',
			{ extra: ['isLocalSystem'] },
		);
	});

	it('Machine by name without filterType (XSOAR get_machine_guid, is_probe_connected) matches both captures', async () => {
		const machine = dataset.machines.find((m) => m.connected) ?? dataset.machines[0];
		// XSOAR's get_machine_guid and is_probe_connected: filters without filterType.
		const byName = await vs(machineQuery([filter('elementDisplayName', [machine.name])]));
		expectShape(
			withEmptyResults(sample('xsoar-get_machine_guid_raw_response.json')),
			withEmptyResults(byName.json),
			'envelope',
		);
		expectShape(captured('xsoar-get_machine_guid_raw_response.json'), element(byName), 'machine');
		const probe = await vs(
			machineQuery([
				filter('elementDisplayName', [machine.name]),
				filter('isActiveProbeConnected', [true]),
			]),
		);
		expectShape(
			withEmptyResults(sample('xsoar-is_probe_connected_raw_response.json')),
			withEmptyResults(probe.json),
			'envelope',
			{ extra: ['status', ...ENVELOPE_EXTRA] },
		);
		expectShape(captured('xsoar-is_probe_connected_raw_response.json'), element(probe), 'machine');
	});

	it('a Malop through crimes/unified and through Visual Search (Google SecOps) matches sekoia-edr_malop_suspicions_result', async () => {
		const malop = dataset.malops.find(
			(m) => m.kind === 'MalopProcess' && m.emptyElementValues && m.closeTime !== null,
		) as SimMalop;
		expect(malop).toBeDefined();
		const capture = JSON.parse(
			JSON.stringify(sample('sekoia-edr_malop_suspicions_result.json')),
		) as Record<string, unknown>;
		const cap = captured('sekoia-edr_malop_suspicions_result.json') as {
			simpleValues: Record<string, { values: unknown[] }>;
		};
		// SEKOIA's closeTime is a number, the one non-string simple value in any capture; the simulator keeps strings.
		cap.simpleValues.closeTime.values = cap.simpleValues.closeTime.values.map(String);
		const body = {
			totalResultLimit: 10,
			perGroupLimit: 10000,
			perFeatureLimit: 100,
			templateContext: 'OVERVIEW',
			queryPath: [
				{ requestedType: 'MalopProcess', guidList: [malop.guid], result: true, filters: null },
			],
		};
		for (const path of ['/rest/crimes/unified', '/rest/visualsearch/query/simple']) {
			const answer = await call(sim, 'POST', path, { cookie, body });
			expectShape(withEmptyResults(capture), withEmptyResults(answer.json), path, {
				extra: [
					'status',
					...ENVELOPE_EXTRA,
					'evidenceMap',
					'totalPossibleResults',
					'guessedPossibleResults',
					'queryLimits',
					'queryTerminated',
					'pathResultCounts',
					...DATA_EXTRA,
				],
				maps: MAPS,
			});
			expectShape(cap, element(answer), path, {
				extra: ['decisionFeatureSet', 'rootCauseElementCompanyProduct'],
				missing: ['iconBase64'],
				maps: MAPS,
			});
		}
	});

	it('classification/update answers like xsoar-prevent_file_raw_response, to prevent and to unprevent', async () => {
		const capture = sample('xsoar-prevent_file_raw_response.json');
		const md5 = dataset.malops[0].targets.find((t) => t.kind === 'file')?.md5;
		for (const body of [
			[{ keys: [md5], maliciousType: 'blacklist', remove: false, prevent: true }],
			[{ keys: [md5], remove: true, prevent: false }],
		]) {
			const answer = await call(sim, 'POST', '/rest/classification/update', { cookie, body });
			expectShape(capture, answer.json, 'classification/update');
			expect(answer.json).toEqual(capture);
		}
	});
});
