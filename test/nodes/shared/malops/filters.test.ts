import { normaliseCrimesMalop } from '../../../../nodes/shared/malops/crimes';
import {
	createMalopFilter,
	mergeMalops,
	sortByLastUpdate,
} from '../../../../nodes/shared/malops/filters';
import { normaliseInboxMalop } from '../../../../nodes/shared/malops/inbox';
import { normaliseMmngMalop } from '../../../../nodes/shared/malops/mmng';
import { isClosedStatus } from '../../../../nodes/shared/malops/record';
import { BASE, element } from './fixtures';

describe('closed, statuses and time filters', () => {
	const crimes = (guid: string, status: string, lastUpdate = 1000) =>
		normaliseCrimesMalop(guid, element(guid, { status, lastUpdate }), 'MalopProcess', BASE);
	const inbox = (guid: string, status: string, closed = false) =>
		normaliseInboxMalop(
			{
				guid,
				displayName: 'x',
				creationTime: 1,
				lastUpdateTime: 1000,
				edr: true,
				machines: [],
				status,
				closed,
			},
			BASE,
		);

	it('knows what closed means for each source', () => {
		expect(
			['UNREAD', 'TODO', 'OPEN', 'REOPEN', 'CLOSED', 'FP'].filter((s) =>
				isClosedStatus('crimesUnified', s),
			),
		).toEqual(['CLOSED', 'FP']);
		expect(
			['Active', 'Remediated', 'Closed', 'Excluded'].filter((s) =>
				isClosedStatus('detectionInbox', s),
			),
		).toEqual(['Closed', 'Excluded']);
	});

	it('leaves closed Malops out unless asked for', () => {
		const records = [
			crimes('a', 'OPEN'),
			crimes('b', 'CLOSED'),
			crimes('c', 'FP'),
			inbox('d', 'Excluded'),
			inbox('e', 'Active', true),
		];
		expect(records.filter(createMalopFilter({})).map((r) => r.malopId)).toEqual(['a']);
		expect(
			records.filter(createMalopFilter({ includeClosed: true })).map((r) => r.malopId),
		).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('returns closed Malops when their status is picked explicitly, case-insensitively', () => {
		const records = [crimes('a', 'OPEN'), crimes('b', 'CLOSED'), inbox('e', 'Active', true)];
		expect(
			records.filter(createMalopFilter({ statuses: ['closed'] })).map((r) => r.malopId),
		).toEqual(['b']);
		// Active but closed by the analyst: picking Active does not bring back closed investigations
		expect(
			records.filter(createMalopFilter({ statuses: ['Active'] })).map((r) => r.malopId),
		).toEqual([]);
	});

	it('Malops management: investigation status and severity filters, and a picked Closed investigation wins over Include Closed', () => {
		const mmng = (guid: string, status: string, investigationStatus: string, severity = 'High') =>
			normaliseMmngMalop(
				{
					guid,
					displayName: 'x',
					creationTime: 1,
					lastUpdateTime: 1000,
					isEdr: true,
					status,
					investigationStatus,
					severity,
				},
				BASE,
			);
		const records = [
			mmng('a', 'Active', 'Pending'),
			mmng('b', 'Active', 'Closed'),
			mmng('c', 'Closed', 'Closed', 'Low'),
			mmng('d', 'Remediated', 'Reopened', 'Low'),
		];
		expect(
			['Active', 'Remediated', 'Closed', 'Excluded'].filter((s) =>
				isClosedStatus('malopsManagement', s),
			),
		).toEqual(['Closed', 'Excluded']);
		const ids = (filters: Parameters<typeof createMalopFilter>[0]) =>
			records.filter(createMalopFilter(filters)).map((r) => r.malopId);
		expect(ids({})).toEqual(['a', 'd']);
		expect(ids({ investigationStatuses: ['closed'] })).toEqual(['b', 'c']);
		expect(ids({ investigationStatuses: ['ReOpened'] })).toEqual(['d']);
		expect(ids({ severities: ['low'] })).toEqual(['d']);
		expect(ids({ severities: ['Low'], includeClosed: true })).toEqual(['c', 'd']);
		// An Active Malop whose investigation is closed stays out when only its status is picked (as in the inbox).
		expect(ids({ statuses: ['Active'] })).toEqual(['a']);
	});

	it('applies updated after / before as exclusive bounds', () => {
		const records = [crimes('a', 'OPEN', 100), crimes('b', 'OPEN', 200), crimes('c', 'OPEN', 300)];
		expect(
			records
				.filter(createMalopFilter({ updatedAfter: 100, updatedBefore: 300 }))
				.map((r) => r.malopId),
		).toEqual(['b']);
	});
});

describe('merging and ordering', () => {
	const record = (
		guid: string,
		lastUpdate: number,
		type: 'MalopProcess' | 'MalopLogonSession' = 'MalopProcess',
	) => normaliseCrimesMalop(guid, element(guid, { lastUpdate }), type, BASE);

	it('never lists a Malop twice: the newer copy wins, on a tie the first list', () => {
		const merged = mergeMalops([
			[record('x', 5), record('y', 9)],
			[
				record('x', 7, 'MalopLogonSession'),
				record('y', 9, 'MalopLogonSession'),
				record('z', 1, 'MalopLogonSession'),
			],
		]);
		expect(merged.map((r) => [r.malopId, r.malopType])).toEqual([
			['x', 'MalopLogonSession'],
			['y', 'MalopProcess'],
			['z', 'MalopLogonSession'],
		]);
	});

	it('sorts newest activity first, unknown times last', () => {
		const unknown = record('u', 1);
		unknown.lastUpdateTimeMs = null;
		const sorted = sortByLastUpdate([record('a', 1), unknown, record('b', 3), record('c', 2)]);
		expect(sorted.map((r) => r.malopId)).toEqual(['b', 'c', 'a', 'u']);
	});
});
