// The Cybereason node against the batch-2 public captures (../shared/cybereason-samples): sensor records of four
// sources, the isolate and un-isolate answers, comments as crimes/unified embeds them, an EPP Malop's details.
// Served as the console's answers where the node reads them; skipped where the samples are absent.
import type { IDataObject } from 'n8n-workflow';

import { machineItem } from '../../../nodes/Cybereason/actions/machine/sensor';
import { normaliseComment } from '../../../nodes/shared/comments';
import type { MalopComment, Sensor } from '../../../nodes/shared/types';
import { engineFor } from '../CybereasonRemediate/fixtures';
import { describeWithSamples, sample } from '../CybereasonGetMalops/samples';
import { out, runNode, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();

type SensorsAnswer = { sensors: Sensor[] };

describeWithSamples('the Cybereason node on the batch-2 captures', () => {
	it('normalises the sensor records of XSOAR, Rapid7 (test and docs) and Google SecOps', () => {
		const xsoar = sample<SensorsAnswer>('xsoar-fetch_machine_details_raw_response.json').sensors[0];
		expect(machineItem(xsoar)).toEqual({
			machineName: 'empow_2',
			machineGuid: '<guid>',
			pylumId: '<pylum_id>',
			sensorId: '<sensor_id>',
			status: 'Offline',
			isolated: false,
			connected: false,
			osType: 'WINDOWS',
			groupName: 'Test',
			policyName: 'Default',
			customTags: [],
			internalIpAddress: '<internal_ip_address>',
			lastSeen: new Date(1647513671326).toISOString(),
		});
		// The docs example is wrapped in the plugin's output key; keys sorted, new 16-character GUID, archived.
		const docs = sample<{ sensor: SensorsAnswer }>('rapid7-help_get_sensor_example_output.json');
		expect(machineItem(docs.sensor.sensors[0])).toEqual(
			expect.objectContaining({
				machineGuid: 'J1zJSBCi55eyTiwX',
				status: 'Archived',
				connected: false,
				lastSeen: new Date(1681999288065).toISOString(),
			}),
		);
		// No lastPylumUpdateTimestampMs: the later disconnection time is the last sign of life.
		const gsecops = sample<Array<{ EntityResult: Sensor }>>(
			'gsecops-get_sensor_details_JsonResult_example.json',
		)[0].EntityResult;
		expect(machineItem(gsecops)).toEqual(
			expect.objectContaining({
				machineName: 'Adi\u2019s MacBook Pro',
				osType: 'OSX',
				groupName: 'Unassigned',
				lastSeen: new Date(1636598475639).toISOString(),
			}),
		);
		// The hand-made minimum: what is not there is null, never invented.
		const minimal = sample<SensorsAnswer>('rapid7-sensor_details.json').sensors[0];
		expect(machineItem(minimal)).toEqual({
			machineName: null,
			machineGuid: 'sensor_guid',
			pylumId: 'machine_pylum_id',
			sensorId: null,
			status: null,
			isolated: null,
			connected: null,
			osType: null,
			groupName: null,
			policyName: null,
			customTags: [],
			internalIpAddress: null,
			lastSeen: null,
		});
	});

	it('gets a machine from the Rapid7 sensors/query answer', async () => {
		const sim = await start();
		sim.state.addFault({
			method: 'POST',
			path: '/rest/sensors/query',
			status: 200,
			body: sample('rapid7-get_sensor.json'),
			times: Infinity,
		});
		const result = await runNode(engineFor(sim), [{ pylumId: 'valid_pylum_Id' }], {
			resource: 'machine',
			operation: 'get',
			lookupBy: 'pylumId',
		});
		expect(out(result)).toEqual([
			expect.objectContaining({
				machineName: 'machineName',
				pylumId: 'valid_pylum_Id',
				sensorId: 'valid_sensor_Id',
				osType: 'OSX',
				isolated: false,
				connected: false,
				lastSeen: new Date(1675677536830).toISOString(),
			}),
		]);
	});

	it.each([
		['isolate', 'xsoar-isolate_machine_raw_response.json'],
		['unisolate', 'rapid7-isolate_machine.json'],
	])('reads the %s answer of %s per pylumId', async (operation, file) => {
		const answer = sample<Record<string, string>>(file);
		const [pylumId] = Object.keys(answer);
		const sim = await start();
		const malop = sim.state.addMalop({
			machines: [{ guid: 'AAAAsampleMach01', name: 'desktop-sample', pylumId }],
		});
		malop.machines[0].isolated = operation === 'unisolate';
		sim.state.addFault({
			path: `/rest/monitor/global/commands/${operation === 'isolate' ? 'isolate' : 'un-isolate'}`,
			status: 200,
			body: answer,
		});
		const result = await runNode(engineFor(sim), [{ machineGuid: 'AAAAsampleMach01' }], {
			resource: 'machine',
			operation,
		});
		expect(out(result)[0].results).toEqual(
			expect.objectContaining({ status: 'SUCCESS', consoleStatus: 'Succeeded' }),
		);
	});

	it('reads the comments crimes/unified embeds (SEKOIA) as get-comments items', async () => {
		const capture = sample<{
			data: { resultIdToElementDataMap: Record<string, { simpleValues: IDataObject }> };
		}>('sekoia-edr_malop_suspicions_result.json');
		const [element] = Object.values(capture.data.resultIdToElementDataMap);
		const comments = (element.simpleValues.comments as { values: MalopComment[] }).values;
		expect(comments.map(normaliseComment)).toEqual([
			{
				commentId: 'ae271860-d068-4907-8d29-b01440a1611a',
				message: 'My message',
				username: 'john.doe@example.org',
				timestamp: new Date(1661864271408).toISOString(),
			},
			{
				commentId: '766fdee1-9956-45f8-88fc-a4d77f7ea85f',
				message: 'My comment',
				username: 'jane.doe@example.org',
				timestamp: new Date(1661864272077).toISOString(),
			},
		]);
		const sim = await start();
		sim.state.addFault({ path: '/rest/crimes/get-comments', status: 200, body: comments });
		const result = await runNode(engineFor(sim), [{ malopId: '11.1882697476172655933' }], {
			resource: 'malop',
			operation: 'getComments',
		});
		expect(out(result).map((i) => i.message)).toEqual(['My message', 'My comment']);
		expect(sim.requests.find((r) => r.path === '/rest/crimes/get-comments')?.rawBody).toBe(
			'11.1882697476172655933',
		);
	});

	it('gets an EPP Malop from the SEKOIA detection details', async () => {
		const details = sample<IDataObject>('sekoia-epp_malop_detail.json');
		const sim = await start();
		sim.state.addFault({ path: '/rest/detection/details', status: 200, body: details });
		const result = await runNode(engineFor(sim), [{ malopId: details.guid }], {
			resource: 'malop',
			operation: 'get',
		});
		expect(out(result)).toEqual([
			{
				malopId: '11.-2600105145818681902',
				malopType: 'EPP',
				displayName: 'kprocesshacker.sys',
				rootCauseElementType: 'File',
				detectionType: 'KNOWN_MALWARE',
				status: 'Active',
				severity: 'High',
				creationTime: new Date(1668357472339).toISOString(),
				lastUpdateTime: new Date(1668392385000).toISOString(),
				malopUrl: `${sim.url}/#/detection-malop/11.-2600105145818681902`,
				machines: [
					{
						machineGuid: '-1021733308.1198775089551518743',
						machineName: 'desktop-aaaaaa',
						machineConnected: false,
						machineIsolated: false,
						osType: 'WINDOWS',
					},
				],
				machineCount: 1,
			},
		]);
	});
});
