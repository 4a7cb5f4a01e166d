import type { SensorsQueryResponse } from '../../nodes/shared/types';
import type { SimMachine } from '../../simulator';

import { asRecord, call } from './helpers';
import { useSimulator } from './views';

describe('isolation and un-isolation, as every machine view shows them', () => {
	const t = useSimulator({
		malops: 6,
		machinesPerMalop: 1,
		logonSessionShare: 0,
		seed: 9,
	});
	t.dataset.machines.forEach((m, i) => (m.connected = i < 5));
	const command = async (verb: 'isolate' | 'un-isolate', pylumIds: string[], malopId?: string) => {
		const answer = await call(t.sim, 'POST', `/rest/monitor/global/commands/${verb}`, {
			cookie: t.cookie,
			body: malopId === undefined ? { pylumIds } : { pylumIds, malopId },
		});
		expect(answer.status).toBe(200);
		return answer.json as Record<string, string>;
	};
	const malopOf = (machine: SimMachine) => {
		const m = t.dataset.malops.find((x) => x.machines.some((y) => y.guid === machine.guid));
		if (!m) throw new Error('machine is in no Malop');
		return m;
	};

	/** isolated as sensors/query, the inbox, mmng/v2 and a Visual Search Machine query report it. */
	const isolatedEverywhere = async (machine: SimMachine) => {
		const malop = malopOf(machine).guid;
		const sensors = (
			await call(t.sim, 'POST', '/rest/sensors/query', {
				cookie: t.cookie,
				body: {
					limit: 1,
					offset: 0,
					filters: [{ fieldName: 'guid', operator: 'Equals', values: [machine.guid] }],
				},
			})
		).json as SensorsQueryResponse;
		const inbox = (await t.read.inbox(malop)).machines.find((x) => x.guid === machine.guid);
		const mmng = (await t.read.mmng(malop)).machines.find((x) => x.guid === machine.guid);
		const search = (
			await call(t.sim, 'POST', '/rest/visualsearch/query/simple', {
				cookie: t.cookie,
				body: {
					queryPath: [
						{
							requestedType: 'Machine',
							filters: [{ facetName: 'guid', values: [machine.guid], filterType: 'Equals' }],
							isResult: true,
						},
					],
					totalResultLimit: 10,
					perGroupLimit: 10,
					perFeatureLimit: 10,
					templateContext: 'SPECIFIC',
					customFields: ['isIsolated'],
				},
			})
		).json;
		const element = asRecord(asRecord(asRecord(search).data).resultIdToElementDataMap)[
			machine.guid
		];
		const isIsolated = asRecord(asRecord(asRecord(element).simpleValues).isIsolated)
			.values as string[];
		return [sensors.sensors[0].isolated, inbox?.isolated, mmng?.isolated, isIsolated[0]];
	};

	it('un-isolates an online machine (with or without malopId): Succeeded, and every view says not isolated', async () => {
		const [a, b] = t.dataset.machines.filter((m) => m.connected);
		expect(await command('isolate', [a.pylumId, b.pylumId])).toEqual({
			[a.pylumId]: 'Succeeded',
			[b.pylumId]: 'Succeeded',
		});
		expect(await isolatedEverywhere(a)).toEqual([true, true, true, 'true']);
		expect(await command('un-isolate', [a.pylumId])).toEqual({ [a.pylumId]: 'Succeeded' });
		expect(await command('un-isolate', [b.pylumId], malopOf(b).guid)).toEqual({
			[b.pylumId]: 'Succeeded',
		});
		expect(await isolatedEverywhere(a)).toEqual([false, false, false, 'false']);
		expect(await isolatedEverywhere(b)).toEqual([false, false, false, 'false']);
	});

	it('primes an un-isolation for an offline machine: still isolated until the sensor reconnects', async () => {
		const machine = t.dataset.machines.filter((m) => m.connected)[2];
		await command('isolate', [machine.pylumId]);
		t.sim.state.setMachineConnected(machine.guid, false);
		expect(await command('un-isolate', [machine.pylumId])).toEqual({ [machine.pylumId]: 'Primed' });
		expect(await isolatedEverywhere(machine)).toEqual([true, true, true, 'true']);
		t.sim.state.setMachineConnected(machine.guid, true);
		expect(await isolatedEverywhere(machine)).toEqual([false, false, false, 'false']);
	});

	it('answers per pylumId in one batch: Succeeded, Primed and UnknownProbe side by side', async () => {
		const [online, offline] = [t.dataset.machines[3], t.dataset.machines[5]];
		const answer = await command('un-isolate', [
			online.pylumId,
			offline.pylumId,
			'PYLUMCLIENT_NOPE_X_0',
		]);
		expect(answer).toEqual({
			[online.pylumId]: 'Succeeded',
			[offline.pylumId]: 'Primed',
			PYLUMCLIENT_NOPE_X_0: 'UnknownProbe',
		});
	});
});
