import { splitWindow } from '../../../../nodes/shared/malopQuery/crimes';

describe('narrowing crimes/unified time windows past the result cap', () => {
	it('splits at the oldest time of a cut answer: that answer and newer above, the rest below', () => {
		expect(splitWindow({ after: 100, before: 1000, open: true }, 600)).toEqual([
			{ after: 100, before: 600, open: false },
			{ after: 599, before: 1000, open: true },
		]);
	});

	it('halves a window the oldest time cannot split, and gives up on one that cannot shrink', () => {
		// Every Malop of the answer has the window's own bottom time.
		expect(splitWindow({ after: 100, before: 200, open: false }, 101)).toEqual([
			{ after: 100, before: 151, open: false },
			{ after: 150, before: 200, open: false },
		]);
		expect(splitWindow({ after: 100, before: 1000, open: false }, Infinity)).toHaveLength(2);
		expect(splitWindow({ after: 100, before: 102, open: false }, 101)).toBeUndefined();
	});
});
