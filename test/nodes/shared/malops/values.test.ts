import {
	isoTime,
	parseBoolean,
	parseEpochMs,
	parseText,
} from '../../../../nodes/shared/malops/values';

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

	it('writes times exactly as Date#toISOString, across leap years, centuries and the edges of its fast path', () => {
		const edges = [
			0,
			1,
			86_399_999,
			951_782_400_000, // 2000-02-29
			4_107_542_400_000, // 2100-03-01
			253_402_300_799_999, // 9999-12-31T23:59:59.999Z
			253_402_300_800_000,
			-1,
			1659517940167.5,
		];
		let seed = 7;
		const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		const values = [
			...edges,
			...Array.from({ length: 20_000 }, () => Math.floor(random() * 253_402_300_800_000)),
		];
		for (const ms of values) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
		expect(isoTime(null)).toBeNull();
		expect(isoTime(Number.NaN)).toBeNull();
		expect(isoTime(8.64e15 + 1)).toBeNull();
	});
});
