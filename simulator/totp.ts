// RFC 6238 TOTP (HMAC-SHA1, 30 s step, 6 digits), the kind an authenticator app shows for the
// console's "Two factor authentication" page. The credential's own implementation is tested against this one.
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input: string): Buffer {
	const clean = input.toUpperCase().replace(/[\s=-]/g, '');
	const bytes: number[] = [];
	let bits = 0;
	let value = 0;
	for (const ch of clean) {
		const idx = BASE32.indexOf(ch);
		if (idx < 0) throw new Error(`Invalid base32 character "${ch}"`);
		value = (value << 5) | idx;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((value >>> bits) & 0xff);
		}
	}
	return Buffer.from(bytes);
}

function hotp(key: Buffer, counter: number, digits = 6): string {
	const msg = Buffer.alloc(8);
	msg.writeUInt32BE(Math.floor(counter / 0x100000000), 0);
	msg.writeUInt32BE(counter >>> 0, 4);
	const mac = createHmac('sha1', key).update(msg).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
	return String(code).padStart(digits, '0');
}

export function totp(secretBase32: string, timeMs: number = Date.now()): string {
	return hotp(base32Decode(secretBase32), Math.floor(timeMs / 30_000));
}

/** Accepts the code of the current 30 s step and of one step either side (clock drift). */
export function verifyTotp(secretBase32: string, code: string, timeMs: number): boolean {
	if (!/^\d{6}$/.test(code)) return false;
	const key = base32Decode(secretBase32);
	const step = Math.floor(timeMs / 30_000);
	return [step - 1, step, step + 1].some((s) => hotp(key, s) === code);
}
