import { nextPage } from '../../../../nodes/shared/malopQuery/mmng';

describe('mmng/v2 keyset paging', () => {
	const at = { bound: 1000, offset: 0 };

	it('ends when the page reaches totalHits (offset + served ≥ totalHits)', () => {
		expect(nextPage(at, { edge: 1500, served: 40, totalHits: 40, stale: 0 })).toEqual({
			done: true,
			missing: 0,
		});
		expect(
			nextPage({ bound: 1000, offset: 200 }, { edge: 1000, served: 100, totalHits: 300, stale: 0 }),
		).toEqual({ done: true, missing: 0 });
	});

	it('moves the range to the last update time the page reached, from offset 0', () => {
		expect(nextPage(at, { edge: 1500, served: 100, totalHits: 250, stale: 0 })).toEqual({
			next: { bound: 1500, offset: 0 },
		});
		// Newest first, the bound is range.to and the edge the earliest time.
		expect(
			nextPage({ bound: 9000, offset: 0 }, { edge: 7000, served: 100, totalHits: 250, stale: 0 }),
		).toEqual({ next: { bound: 7000, offset: 0 } });
	});

	it('steps the offset over a page that is all at its bound (more Malops at one time than a page holds)', () => {
		expect(nextPage(at, { edge: 1000, served: 100, totalHits: 250, stale: 0 })).toEqual({
			next: { bound: 1000, offset: 100 },
		});
		// A page of one that only read the Malop at the bound again.
		expect(nextPage(at, { edge: 1000, served: 1, totalHits: 5, stale: 1 })).toEqual({
			next: { bound: 1000, offset: 1 },
		});
	});

	it('goes on after a short page while it brings new Malops (a result window), then counts what is missing', () => {
		expect(nextPage(at, { edge: 1200, served: 10, totalHits: 250, stale: 0 })).toEqual({
			next: { bound: 1200, offset: 0 },
		});
		expect(nextPage(at, { edge: undefined, served: 0, totalHits: 30, stale: 1 })).toEqual({
			done: true,
			missing: 30,
		});
		// totalHits counts Malops the console never serves: a second page in a row with nothing new ends it.
		expect(nextPage(at, { edge: 1200, served: 1, totalHits: 6, stale: 2 })).toEqual({
			done: true,
			missing: 5,
		});
	});
});
