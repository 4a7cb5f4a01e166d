import { normaliseCrimesMalop } from '../../../../nodes/shared/malops/crimes';
import { incompleteWarning } from '../../../../nodes/shared/malopQuery/completion';
import { BASE, element } from '../malops/fixtures';

describe('what a still incomplete Malop says', () => {
	const malop = (options: Parameters<typeof element>[1]) =>
		normaliseCrimesMalop('11.1', element('11.1', options), 'MalopProcess', BASE);

	it('nothing for a whole Malop', () => {
		expect(incompleteWarning(malop({}), false)).toBeUndefined();
	});

	it('names what the per-feature limit cut, and how to get the rest without return all', () => {
		expect(incompleteWarning(malop({ machineTotal: 5, suspects: 1, suspectTotal: 3 }), false)).toBe(
			'Cybereason listed only 1 of its 5 affected machines and 1 of its 3 suspects (per-feature limit): raise Options > Per-Feature Limit or turn on Return All to get all of them',
		);
		expect(incompleteWarning(malop({ machineTotal: 5 }), true)).toBe(
			'Cybereason listed only 1 of its 5 affected machines (per-feature limit)',
		);
	});

	it('says that the details are unknown when elementValues stayed empty', () => {
		expect(incompleteWarning(malop({ empty: true }), true)).toMatch(/without its details/);
	});
});
