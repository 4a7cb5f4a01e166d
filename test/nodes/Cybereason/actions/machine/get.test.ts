// Machine Get: the sensor record normalised, every sensor of the machine, archived ones only when asked.
import type { IDataObject } from 'n8n-workflow';

import { addMalop, engineFor, type Simulator } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const QUERY = '/rest/sensors/query';
const GET = { resource: 'machine', operation: 'get' };
/** The node's sensor queries (the credential's login probe asks without filters). */
const lookups = (s: Simulator) => received(s, QUERY).filter((r) => (r.body as IDataObject).filters);

describe('machine get', () => {
	it('looks a machine up by GUID, name or pylumId and normalises its sensor', async () => {
		const sim = await start();
		const [m] = addMalop(sim, [{ name: 'Desktop-G1' }]).machines;
		const expected = {
			machineName: 'Desktop-G1',
			machineGuid: m.guid,
			pylumId: m.pylumId,
			sensorId: m.sensorId,
			status: 'Online',
			isolated: false,
			connected: true,
			osType: m.osType,
			groupName: 'Perimeter 1',
			policyName: 'Default policy',
			customTags: [],
			internalIpAddress: m.internalIpAddress,
			lastSeen: expect.stringMatching(ISO),
		};
		const byGuid = await runNode(engineFor(sim), [{ machineGuid: m.guid }], GET);
		expect(out(byGuid)).toEqual([expected]);
		expect(lookups(sim).at(-1)?.body).toEqual({
			limit: 1000,
			offset: 0,
			filters: [
				{ fieldName: 'guid', operator: 'Equals', values: [m.guid] },
				{ fieldName: 'status', operator: 'NotEquals', values: ['Archived'] },
			],
		});
		const byName = await runNode(engineFor(sim), [{ host: 'Desktop-G1' }], {
			...GET,
			lookupBy: 'name',
			machine: '={{ $json.host }}',
		});
		expect(out(byName)).toEqual([expected]);
		const byPylum = await runNode(engineFor(sim), [{ pylumId: m.pylumId }], {
			...GET,
			lookupBy: 'pylumId',
		});
		expect(out(byPylum)).toEqual([expected]);
	});

	it('gives every sensor of a reinstalled machine, newest first; archived only when asked; raw on request', async () => {
		const sim = await start();
		const [m] = addMalop(sim, [{ name: 'desktop-g2' }]).machines;
		const stale = sim.state.addSensor({ machineName: m.name, guid: m.guid });
		const archived = sim.state.addSensor({ machineName: m.name, guid: m.guid, status: 'Archived' });
		const result = await runNode(engineFor(sim), [{ machineGuid: m.guid }], GET);
		expect(out(result).map((i) => [i.pylumId, i.status])).toEqual([
			[m.pylumId, 'Online'],
			[stale.pylumId, 'Stale'],
		]);
		const all = await runNode(engineFor(sim), [{ machineGuid: m.guid }], {
			...GET,
			options: { includeArchived: true, includeRaw: true },
		});
		const items = out(all);
		expect(items.map((i) => i.pylumId)).toContain(archived.pylumId);
		expect((items[0].raw as IDataObject).fqdn).toBe(m.name);
		all.output(NODE).forEach((i) => expect(i.pairedItem).toEqual({ item: 0 }));
	});

	it('names the item of an unknown machine; continue-on-fail pairs the error', async () => {
		const sim = await start();
		const [m] = addMalop(sim, [{ name: 'desktop-g3' }]).machines;
		const input = [{ machineGuid: 'AAAAnoSuchMach01' }, { machineGuid: m.guid }, {}];
		const strict = await runNode(engineFor(sim), input, GET);
		expect(strict.error?.message).toBe(
			'No sensor found for machine GUID AAAAnoSuchMach01 (item 0)',
		);
		const lenient = await runNode(engineFor(sim), input, GET, { continueOnFail: true });
		const [unknown, found, empty] = out(lenient);
		expect(unknown.error).toBe('No sensor found for machine GUID AAAAnoSuchMach01 (item 0)');
		expect(found.machineGuid).toBe(m.guid);
		expect(empty.error).toBe('No machine GUID in item 2');
		expect(lenient.output(NODE).map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	it('fails an answer without its sensor list instead of reading it as "no such machine"', async () => {
		const sim = await start();
		const [m] = addMalop(sim, [{ name: 'desktop-g4' }]).machines;
		const engine = engineFor(sim);
		// Logged in first: the credential's login probe asks sensors/query too.
		await runNode(engine, [{ machineGuid: m.guid }], GET);
		sim.state.addFault({ path: QUERY, status: 200, body: {} });
		const result = await runNode(engine, [{ machineGuid: m.guid }], GET);
		expect(result.error?.message).toBe(
			`Could not look up machine GUID ${m.guid} (item 0): the console answered /rest/sensors/query with HTTP 200 and {} instead of a sensor list (sensors)`,
		);
	});
});
