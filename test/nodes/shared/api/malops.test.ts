import { crimesUnifiedBody } from '../../../../nodes/shared/api/malops';

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
