import { confirmsSuccess } from '../../../../nodes/shared/api/labels';

describe('confirmsSuccess', () => {
	it('takes the bare text success in the spellings seen, and a SUCCESS envelope', () => {
		for (const answer of [
			'success',
			' SUCCESS\n',
			'"success"',
			'{"success"}',
			{ status: 'SUCCESS' },
		])
			expect(confirmsSuccess(answer)).toBe(true);
	});

	it('takes nothing else', () => {
		for (const answer of [
			'',
			'failure',
			'successful',
			undefined,
			null,
			{},
			{ status: 'FAILURE' },
			[],
		])
			expect(confirmsSuccess(answer)).toBe(false);
	});
});
