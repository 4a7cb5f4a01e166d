import { parseBoolean, parseEpochMs, parseText } from '../../../../nodes/shared/malops/values';

describe('Cybereason value spelling', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['True', true],
		['false', false],
		['False', false],
		['None', null],
		[null, null],
		[undefined, null],
		['', null],
	])('parseBoolean(%p) is %p', (input, expected) => {
		expect(parseBoolean(input)).toBe(expected);
	});

	it('reads epoch milliseconds from numbers and numeric strings, and "None" as unknown', () => {
		expect(parseEpochMs('1659517940167')).toBe(1659517940167);
		expect(parseEpochMs(1701662699005)).toBe(1701662699005);
		expect(parseEpochMs('None')).toBeNull();
		expect(parseEpochMs(null)).toBeNull();
		expect(parseEpochMs('')).toBeNull();
	});

	it('reads "None" and empty strings as unknown text', () => {
		expect(parseText('None')).toBeNull();
		expect(parseText('')).toBeNull();
		expect(parseText('TODO')).toBe('TODO');
	});
});
