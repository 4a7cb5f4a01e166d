// A simulator per test file for the Malop management tests, and one Malop as each read route shows it, so
// a test can check that a change made through one route is visible through all the others (crimes/unified,
// the inbox, the mmng/v2 list and metadata).
import type {
	CrimesUnifiedResponse,
	InboxMalop,
	InboxResponse,
	MalopElement,
} from '../../nodes/shared/types';
import {
	generateDataset,
	type DatasetOptions,
	type SimDataset,
	type Simulator,
	type SimulatorOptions,
} from '../../simulator';

import { call, ManualClock, started } from './helpers';

export const BASE = 1_717_000_000_000;

/** The fields of an mmng/v2 item the tests read (xsoar-query_malop_management_raw_response). */
interface MmngItem {
	guid: string;
	lastUpdateTime: number;
	metadataUpdateTime: number;
	investigationStatus: string;
	status: string;
	closerName: string | null;
	isEdr: boolean;
	labels: Array<{ id: number; labelText: string; count: number; empty: boolean }>;
	machines: Array<{ guid: string; isolated: boolean; connected: boolean; pylumId: string }>;
	[key: string]: unknown;
}

export interface MmngAnswer {
	status: string;
	data: {
		pageSize: number;
		pages: number;
		offset: number;
		totalHits: number;
		token: string;
		data: MmngItem[];
	};
}

export const ALL_TIME = { from: 0, to: 9_999_999_999_999 };

/** Getters, because a test file starts its simulator in beforeAll. */
export function views(sim: () => Simulator, cookie: () => string) {
	const post = async (path: string, body: unknown) => {
		const answer = await call(sim(), 'POST', path, { cookie: cookie(), body });
		if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.text}`);
		return answer.json;
	};
	return {
		async crimes(guid: string, type = 'MalopProcess'): Promise<MalopElement> {
			const res = (await post('/rest/crimes/unified', {
				totalResultLimit: 100,
				perGroupLimit: 100,
				perFeatureLimit: 100,
				templateContext: 'MALOP',
				queryPath: [{ requestedType: type, guidList: [guid], result: true }],
			})) as CrimesUnifiedResponse;
			const element = res.data?.resultIdToElementDataMap[guid];
			if (!element) throw new Error(`crimes/unified does not show ${guid}`);
			return element;
		},
		async inbox(guid: string): Promise<InboxMalop> {
			const res = (await post('/rest/detection/inbox', {
				startTime: 0,
				endTime: sim().state.clock.now(),
			})) as InboxResponse;
			const malop = res.malops.find((m) => m.guid === guid);
			if (!malop) throw new Error(`the inbox does not show ${guid}`);
			return malop;
		},
		async mmng(guid: string): Promise<MmngItem> {
			const res = (await post('/rest/mmng/v2/malops', {
				search: { malop: { guid } },
				pagination: { offset: 0 },
				range: ALL_TIME,
			})) as MmngAnswer;
			if (res.data.data.length !== 1) throw new Error(`mmng/v2 does not show ${guid}`);
			return res.data.data[0];
		},
		async metadata(guid: string): Promise<Record<string, unknown>> {
			const answer = await call(sim(), 'GET', `/rest/mmng/v2/malops/metadata/${guid}`, {
				cookie: cookie(),
			});
			return (answer.json as { data: Record<string, unknown> }).data;
		},
	};
}

/** A simpleValue's first value from a crimes/unified element. */
export function simple(element: MalopElement, feature: string): unknown {
	return element.simpleValues[feature]?.values[0];
}

interface Fixture {
	clock: ManualClock;
	dataset: SimDataset;
	/** Set in beforeAll. */
	sim: Simulator;
	cookie: string;
	read: ReturnType<typeof views>;
}

/**
 * Registers beforeAll/afterAll for a simulator on a generated dataset (baseTime BASE) and a manual clock at
 * BASE. `dataset` exists at once (a test may change it before the start); `sim` and `cookie` from beforeAll.
 */
export function useSimulator(
	datasetOptions: DatasetOptions,
	options: SimulatorOptions = {},
): Fixture {
	const clock = new ManualClock(BASE);
	const dataset = generateDataset({ baseTime: BASE, ...datasetOptions });
	const t = { clock, dataset, cookie: '' } as Fixture;
	t.read = views(
		() => t.sim,
		() => t.cookie,
	);
	beforeAll(async () => {
		Object.assign(t, await started({ clock, dataset, ...options }));
	});
	afterAll(() => t.sim.close());
	return t;
}
