import { Redactor } from '../../../../nodes/shared/transport/redact';

describe('Redactor', () => {
	it('finds a secret full of regular-expression characters literally, and only it', () => {
		const password = 'a.b*c+(d)[e]{2}^$|\\f?';
		const redactor = Redactor.of({ password });
		expect(redactor.scrub(`before ${password} after`)).toBe('before *** after');
		// What the characters would match as a pattern is left alone.
		const lookalike = 'aXbbbcc(d)e{2}f';
		expect(redactor.scrub(lookalike)).toBe(lookalike);
		expect(redactor.scrub(JSON.stringify({ p: password }))).toBe('{"p":"***"}');
	});

	it('returns a text without any secret as it is', () => {
		const text = '{"data":{"resultIdToElementDataMap":{}}}';
		expect(Redactor.of({ password: 'Demo-Console-2024!' }).scrub(text)).toBe(text);
		expect(new Redactor([]).scrub(text)).toBe(text);
	});
});
