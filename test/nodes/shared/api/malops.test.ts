import { crimesUnifiedBody, malopsManagementBody } from '../../../../nodes/shared/api/malops';

describe('crimes/unified request body', () => {
	it('is one requestedType per request, in the shape of the documented clients', () => {
		expect(
			crimesUnifiedBody('MalopLogonSession', {
				totalResultLimit: 50,
				perFeatureLimit: 100,
				filters: [
					{ facetName: 'malopLastUpdateTime', values: [1709283600000], filterType: 'GreaterThan' },
				],
			}),
		).toEqual({
			totalResultLimit: 50,
			perGroupLimit: 10_000,
			perFeatureLimit: 100,
			templateContext: 'OVERVIEW',
			queryPath: [
				{
					requestedType: 'MalopLogonSession',
					filters: [
						{
							facetName: 'malopLastUpdateTime',
							values: [1709283600000],
							filterType: 'GreaterThan',
						},
					],
					result: true,
				},
			],
			queryTimeout: 120_000,
		});
		expect(
			crimesUnifiedBody('MalopProcess', {
				totalResultLimit: 2,
				perFeatureLimit: 5,
				guidList: ['11.-1', 'AAAA0ws7O-MUgDmB'],
			}).queryPath[0],
		).toEqual({
			requestedType: 'MalopProcess',
			filters: [],
			guidList: ['11.-1', 'AAAA0ws7O-MUgDmB'],
			result: true,
		});
	});
});

describe('mmng/v2 request body', () => {
	const page = {
		from: 1709283600001,
		to: 9_999_999_999_999,
		pageSize: 100,
		offset: 0,
		order: 'asc' as const,
	};

	it("is SEKOIA's and forensic-security's body: every group, sorted on LastUpdateTime, filter {} when none", () => {
		expect(malopsManagementBody({ ...page, filter: { status: [], severity: undefined } })).toEqual({
			search: {},
			range: { from: 1709283600001, to: 9_999_999_999_999 },
			pagination: { pageSize: 100, offset: 0 },
			federation: { groups: [] },
			sort: [{ field: 'LastUpdateTime', order: 'asc' }],
			filter: {},
		});
	});

	it('carries the filters that have values under filter.malop', () => {
		expect(
			malopsManagementBody({
				...page,
				order: 'desc',
				filter: { status: ['Active'], investigationStatus: ['ReOpened', 'OnHold'], severity: [] },
			}),
		).toMatchObject({
			sort: [{ field: 'LastUpdateTime', order: 'desc' }],
			filter: { malop: { status: ['Active'], investigationStatus: ['ReOpened', 'OnHold'] } },
		});
	});
});
