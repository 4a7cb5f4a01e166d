import {
	parseLabels,
	planLabelBatches,
	unknownLabels,
} from '../../../../../nodes/Cybereason/actions/malop/labelPlan';

describe('parseLabels', () => {
	it('splits on commas and new lines, trims, keeps each name once in the order given', () => {
		expect(parseLabels(' a, b ,\nc,, a ')).toEqual(['a', 'b', 'c']);
		expect(parseLabels(['x, y', 'y'])).toEqual(['x', 'y']);
		expect(parseLabels(undefined)).toEqual([]);
		expect(parseLabels(' , ')).toEqual([]);
	});
});

describe('planLabelBatches', () => {
	it('groups items by their set of labels (order does not matter), each Malop once per batch', () => {
		expect(
			planLabelBatches([
				{ itemIndex: 0, malopId: 'A', labels: ['x', 'y'] },
				{ itemIndex: 1, malopId: 'B', labels: ['z'] },
				{ itemIndex: 2, malopId: 'C', labels: ['y', 'x'] },
				{ itemIndex: 3, malopId: 'A', labels: ['x', 'y'] },
			]),
		).toEqual([
			{ labels: ['x', 'y'], malopGuids: ['A', 'C'], itemIndexes: [0, 2, 3] },
			{ labels: ['z'], malopGuids: ['B'], itemIndexes: [1] },
		]);
		expect(planLabelBatches([])).toEqual([]);
	});
});

describe('unknownLabels', () => {
	it('matches label texts exactly, as the console stores them', () => {
		expect(
			unknownLabels(
				['a', 'B', 'c'],
				new Map([
					['a', 1],
					['b', 2],
				]),
			),
		).toEqual(['B', 'c']);
	});
});
