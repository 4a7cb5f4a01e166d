// Reading n8n's full responses: headers, Cybereason's ways of saying "session over", Retry-After.
import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

const BACKOFF_BASE_MS = 500;
/** A console that asks for more than this in Retry-After gets an error instead of a stalled workflow. */
export const MAX_RETRY_AFTER_MS = 60_000;

const LOGIN_PAGE_MARKERS = ['<app-login', 'Cybereason | Login', 'Two factor authentication'];

/** The console answers a dead session with its Angular login page (`<app-login>`), often as HTTP 200. */
export function isLoginPage(body: unknown): boolean {
	return typeof body === 'string' && LOGIN_PAGE_MARKERS.some((marker) => body.includes(marker));
}

export function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	if (key === undefined) return undefined;
	const value = headers[key];
	if (Array.isArray(value)) return value.map(String).join(', ');
	return value === undefined || value === null ? undefined : String(value);
}

export function setCookies(headers: IDataObject | undefined): string[] {
	if (!headers) return [];
	const key = Object.keys(headers).find((k) => k.toLowerCase() === 'set-cookie');
	if (key === undefined) return [];
	const value = headers[key];
	return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * Cybereason never says 401 for a dead session by default: it redirects to the login page (302), or, behind
 * some proxies, serves that page with 200. n8n only re-logs in by itself on 401, so all three count here.
 */
export function isSessionExpiredAnswer(response: IN8nHttpFullResponse): boolean {
	const { statusCode, body } = response;
	if (statusCode === 401) return true;
	if (statusCode >= 300 && statusCode < 400) return true;
	if (statusCode >= 200 && statusCode < 300) {
		const type = headerValue(response.headers, 'content-type') ?? '';
		return isLoginPage(body) || (typeof body === 'string' && type.includes('text/html'));
	}
	return false;
}

export function retryAfterMs(
	headers: IDataObject | undefined,
	now: number = Date.now(),
): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(retry: number): number {
	return BACKOFF_BASE_MS * 2 ** (retry - 1);
}
