import {
	nameCheckNeeded,
	parseProtectedMachines,
	protectedEntry,
} from '../../../../nodes/shared/remediation';
import { M1, M2 } from './fixtures';

describe('protected machines', () => {
	const entries = parseProtectedMachines(
		' DC01 ,dc02.corp.local\n\n-1826875736.1198775089551518743;  ',
	);

	it('parses names and GUIDs separated by commas, semicolons and new lines', () => {
		expect(entries).toEqual(['DC01', 'dc02.corp.local', '-1826875736.1198775089551518743']);
		expect(parseProtectedMachines(undefined)).toEqual([]);
	});

	it('matches names case-insensitively, host name against FQDN, and GUIDs exactly', () => {
		expect(protectedEntry(entries, M2, ['dc01'])).toBe('DC01');
		expect(protectedEntry(entries, M2, ['DC01.corp.local'])).toBe('DC01');
		expect(protectedEntry(entries, M2, ['DC02'])).toBe('dc02.corp.local');
		expect(protectedEntry(entries, M1, [])).toBe('-1826875736.1198775089551518743');
		expect(protectedEntry(entries, M2, ['dc03', 'web01'])).toBeUndefined();
	});

	it('needs the name unless every entry is a legacy GUID or the GUID already matched', () => {
		expect(nameCheckNeeded(entries, M2)).toBe(true);
		expect(nameCheckNeeded(entries, M1)).toBe(false);
		expect(nameCheckNeeded(['-1.2', '3.-4'], M2)).toBe(false);
		// The 16-character GUID form could as well be a host name: check names too.
		expect(nameCheckNeeded(['DESKTOP-VG9KE2UX'], M2)).toBe(true);
	});
});
