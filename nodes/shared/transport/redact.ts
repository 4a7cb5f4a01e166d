// Consoles echo what they were sent: a login error page with the submitted form, a 500 page with the request's
// headers, a JSON message quoting the body. Every answer (REST and login) is scrubbed here, once, as text before
// it is parsed, so no message, description, log line or output field built from it can carry a secret.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

const REDACTED = '***';

/** Shorter values would match ordinary text; a 2FA secret or session id is far longer, and so is any password policy. */
const MIN_SECRET_LENGTH = 4;

/** A session cookie in any answer, whichever session it is (n8n may have renewed it behind our back). */
const SESSION_COOKIE = /JSESSIONID=[^;,\s"'&<>\\]+/gi;

function htmlEscaped(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** The spellings a value takes when a console echoes it: raw, form- or URL-encoded, JSON- or HTML-escaped. */
function spellings(value: string): string[] {
	return [
		value,
		encodeURIComponent(value),
		new URLSearchParams({ v: value }).toString().slice(2),
		JSON.stringify(value).slice(1, -1),
		htmlEscaped(value),
	];
}

function cookieValue(cookie: unknown): string {
	const text = String(cookie ?? '');
	return text.startsWith('JSESSIONID=') ? text.slice('JSESSIONID='.length) : text;
}

export class Redactor {
	private readonly needles: string[];

	/** Any needle at all: one pass over a large answer instead of one per needle (a 16 MB hunt answer: 1.5 ms, not 9). */
	private readonly anyNeedle?: RegExp;

	constructor(secrets: readonly unknown[]) {
		const values = secrets
			.map((s) => (typeof s === 'string' ? s.trim() : ''))
			.filter((s) => s.length >= MIN_SECRET_LENGTH);
		// Longest first, so a secret's encoded form is replaced whole before a shorter form could cut it.
		this.needles = [...new Set(values.flatMap(spellings))].sort((a, b) => b.length - a.length);
		if (this.needles.length > 0) {
			this.anyNeedle = new RegExp(
				this.needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
			);
		}
	}

	static of(...credentials: Array<ICredentialDataDecryptedObject | undefined>): Redactor {
		return new Redactor(
			credentials.flatMap((c) =>
				c ? [c.password, c.totpSecret, cookieValue(c.sessionCookie)] : [],
			),
		);
	}

	scrub(text: string): string {
		let out = text;
		if (/JSESSIONID=/i.test(out)) out = out.replace(SESSION_COOKIE, `JSESSIONID=${REDACTED}`);
		if (!this.anyNeedle?.test(out)) return out;
		for (const needle of this.needles) {
			if (out.includes(needle)) out = out.split(needle).join(REDACTED);
		}
		return out;
	}
}
