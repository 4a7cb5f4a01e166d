import { createHmac } from 'crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first character that cannot appear in a base32 secret, if any. */
export function invalidBase32Character(secret: string): string | undefined {
	const clean = secret.toUpperCase().replace(/[\s=-]/g, '');
	if (clean.length === 0) return ' ';
	return [...clean].find((char) => !BASE32_ALPHABET.includes(char));
}

/** Decodes an RFC 4648 base32 secret as authenticator apps show it (spaces, dashes, padding, any case). */
export function decodeBase32(secret: string): Buffer {
	const clean = secret.toUpperCase().replace(/[\s=-]/g, '');
	if (clean.length === 0) {
		throw new RangeError('The two-factor secret is empty');
	}
	const bytes: number[] = [];
	let buffer = 0;
	let bits = 0;
	for (const char of clean) {
		const value = BASE32_ALPHABET.indexOf(char);
		if (value === -1) {
			throw new RangeError(`The two-factor secret has "${char}", which is not a base32 character`);
		}
		buffer = (buffer << 5) | value;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((buffer >> bits) & 0xff);
		}
	}
	return Buffer.from(bytes);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits), the kind the Cybereason console asks for. */
export function generateTotp(secret: string, timeMs: number, stepSeconds = 30, digits = 6): string {
	const counter = Math.floor(timeMs / 1000 / stepSeconds);
	const message = Buffer.alloc(8);
	message.writeUInt32BE(Math.floor(counter / 0x100000000), 0);
	message.writeUInt32BE(counter % 0x100000000, 4);
	const hmac = createHmac('sha1', decodeBase32(secret)).update(message).digest();
	const offset = hmac[hmac.length - 1] & 0x0f;
	const binary =
		((hmac[offset] & 0x7f) << 24) |
		(hmac[offset + 1] << 16) |
		(hmac[offset + 2] << 8) |
		hmac[offset + 3];
	return String(binary % 10 ** digits).padStart(digits, '0');
}
