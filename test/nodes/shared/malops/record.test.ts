import { malopUrl } from '../../../../nodes/shared/malops/record';
import { BASE } from './fixtures';

describe('Malop records', () => {
	it('builds the deep links of both Malop screens for both GUID styles', () => {
		expect(malopUrl(BASE, '11.-4319097116418812958', true)).toBe(
			`${BASE}/#/malop/11.-4319097116418812958`,
		);
		expect(malopUrl(BASE, 'AAAA0yUlnvXGQODT', false)).toBe(
			`${BASE}/#/detection-malop/AAAA0yUlnvXGQODT`,
		);
	});
});
