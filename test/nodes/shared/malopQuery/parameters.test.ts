import {
	buildMalopQuery,
	parseDateInput,
	parseList,
	type MalopQuery,
} from '../../../../nodes/shared/malopQuery/parameters';

describe('date filters as n8n hands them over', () => {
	it('reads ISO text with an offset, epoch ms and epoch seconds', () => {
		expect(parseDateInput('2024-03-01T09:00:00Z')).toBe(Date.UTC(2024, 2, 1, 9));
		expect(parseDateInput('2024-03-01T10:00:00+01:00')).toBe(Date.UTC(2024, 2, 1, 9));
		expect(parseDateInput(1709283600000)).toBe(1709283600000);
		expect(parseDateInput('1709283600000')).toBe(1709283600000);
		expect(parseDateInput(1709283600)).toBe(1709283600000);
		expect(parseDateInput(new Date(1709283600000))).toBe(1709283600000);
		expect(parseDateInput({ toMillis: () => 42_000_000_000_000 })).toBe(42_000_000_000_000);
	});

	it("reads the date picker's wall-clock text in the workflow's time zone", () => {
		expect(parseDateInput('2024-03-01T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2024, 2, 1, 8));
		expect(parseDateInput('2024-07-01T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2024, 6, 1, 7));
		expect(parseDateInput('2024-03-01T09:00:00', 'America/New_York')).toBe(
			Date.UTC(2024, 2, 1, 14),
		);
		expect(parseDateInput('2024-03-01', 'UTC')).toBe(Date.UTC(2024, 2, 1));
		expect(parseDateInput('2024-03-01T09:00:00')).toBe(Date.UTC(2024, 2, 1, 9));
		expect(parseDateInput('2024-03-01T09:00:00', 'Not/AZone')).toBe(Date.UTC(2024, 2, 1, 9));
	});

	it('tells empty from unreadable', () => {
		expect(parseDateInput('')).toBeUndefined();
		expect(parseDateInput(undefined)).toBeUndefined();
		expect(parseDateInput('yesterday')).toBeNaN();
	});

	it('reads list parameters given as lists or comma-separated text', () => {
		expect(parseList(['OPEN', ' TODO '])).toEqual(['OPEN', 'TODO']);
		expect(parseList('OPEN, TODO')).toEqual(['OPEN', 'TODO']);
		expect(parseList('')).toEqual([]);
	});
});

describe('node parameters to a query', () => {
	it('defaults to both Malop types and 50 Malops', () => {
		expect(buildMalopQuery({})).toEqual({
			source: 'crimesUnified',
			malopTypes: ['MalopProcess', 'MalopLogonSession'],
			limit: 50,
			filters: {
				updatedAfter: undefined,
				updatedBefore: undefined,
				statuses: [],
				includeClosed: false,
			},
			includeRemediationTargets: false,
		} satisfies MalopQuery);
	});

	it('return all drops the limit; the inbox has no Malop types', () => {
		const query = buildMalopQuery({
			source: 'detectionInbox',
			returnAll: true,
			limit: 5,
			options: { perFeatureLimit: 10 },
		});
		expect(query).toMatchObject({ source: 'detectionInbox', perFeatureLimit: 10 });
		expect(query).not.toHaveProperty('limit');
		expect(query).not.toHaveProperty('malopTypes');
	});

	it.each([
		[
			{ source: 'visualSearch' },
			'Unknown source "visualSearch": use crimesUnified, detectionInbox or malopsManagement',
		],
		[
			{ source: 'malopsManagement', filters: { severities: ['Critical'] } },
			'Unknown severity "Critical": use High, Medium, Low',
		],
		[
			{ source: 'malopsManagement', filters: { investigationStatuses: 'Pending, Open' } },
			'Unknown investigation status "Open": use Pending, ReOpened, UnderInvestigation, OnHold, Closed',
		],
		[
			{ source: 'malopsManagement', filters: { statuses: ['Active', 'CLOSED', 'FP'] } },
			'Unknown status "FP": use Active, Remediated, Closed, Excluded',
		],
		[{ malopTypes: [] }, 'Choose at least one Malop type'],
		[
			{ malopTypes: ['MalopProcess', 'Malware'] },
			'Unknown Malop type "Malware": use MalopProcess and/or MalopLogonSession',
		],
		[{ limit: 0 }, 'Limit must be a whole number of at least 1, not "0"'],
		[{ limit: 2.5 }, 'Limit must be a whole number of at least 1, not "2.5"'],
		[{ filters: { updatedAfter: 'soon' } }, 'Updated After is not a date: "soon"'],
		[
			{ filters: { updatedAfter: '2024-03-02T00:00:00Z', updatedBefore: '2024-03-01T00:00:00Z' } },
			'Updated After must be earlier than Updated Before',
		],
		[
			{ options: { perFeatureLimit: -1 } },
			'Per-Feature Limit must be a whole number of at least 1, not "-1"',
		],
	])('explains an input mistake: %j', (params, error) => {
		expect(buildMalopQuery(params)).toEqual({ error });
	});
});

describe('Malops management filters', () => {
	it("are read in Cybereason's spelling, whatever case an expression gives, each once", () => {
		expect(
			buildMalopQuery({
				source: 'malopsManagement',
				returnAll: true,
				filters: {
					statuses: 'active, Remediated',
					investigationStatuses: ['Reopened', 'ReOpened', 'onhold'],
					severities: ['HIGH'],
					includeClosed: true,
				},
			}),
		).toEqual({
			source: 'malopsManagement',
			filters: {
				updatedAfter: undefined,
				updatedBefore: undefined,
				statuses: ['Active', 'Remediated'],
				investigationStatuses: ['ReOpened', 'OnHold'],
				severities: ['High'],
				includeClosed: true,
			},
			includeRemediationTargets: false,
		});
	});
});
