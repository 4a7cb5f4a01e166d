// Route handlers return a SimResponse instead of writing to the socket, so the server can still
// delay it, rewrite its envelope or drop the connection after the work is done (fault injection).

export interface SimRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** JSESSIONID value sent by the client. */
	cookie: string | undefined;
	rawBody: string;
	/** Parsed JSON, parsed form, raw string, or undefined for an empty body. */
	body: unknown;
	/** True when rawBody parsed as JSON. */
	isJson: boolean;
}

export interface SimResponse {
	status: number;
	headers: Record<string, string | string[]>;
	/** Big answers (crimes/unified) are written as a list of cached Buffers, never copied into one. */
	body: string | Buffer | Buffer[];
}

export function bodyText(response: SimResponse): string {
	const { body } = response;
	return Array.isArray(body) ? Buffer.concat(body).toString() : body.toString();
}

export const JSON_TYPE = 'application/json;charset=UTF-8';
const HTML_TYPE = 'text/html;charset=UTF-8';

export function json(status: number, value: unknown): SimResponse {
	return { status, headers: { 'Content-Type': JSON_TYPE }, body: JSON.stringify(value) };
}

/** For bodies serialised elsewhere (crimes/unified splices cached element JSON). */
export function rawJson(status: number, body: string | Buffer | Buffer[]): SimResponse {
	return { status, headers: { 'Content-Type': JSON_TYPE }, body };
}

export function html(
	status: number,
	body: string,
	extra: Record<string, string | string[]> = {},
): SimResponse {
	return { status, headers: { 'Content-Type': HTML_TYPE, ...extra }, body };
}

export function text(status: number, body: string): SimResponse {
	return { status, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body };
}

export function redirect(
	location: string,
	extra: Record<string, string | string[]> = {},
): SimResponse {
	return {
		status: 302,
		headers: { Location: location, 'Content-Length': '0', ...extra },
		body: '',
	};
}

/** What a path the console does not serve answers (behind the session check). */
export function notFound(method: string, path: string): SimResponse {
	return json(404, { status: 'FAILURE', message: `No such endpoint: ${method} ${path}` });
}

/** The console's own 400s carry a short message; there is no single error envelope (reference §4). */
export function badRequest(message: string): SimResponse {
	return json(400, { status: 'FAILURE', message });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
