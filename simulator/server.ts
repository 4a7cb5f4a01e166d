/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The HTTP(S) listener: body parsing, request recording, fault injection, latency, then routing.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';

import { handleControl } from './control';
import type { Fault, RecordedRequest } from './model';
import {
	bodyText,
	isRecord,
	html,
	json,
	JSON_TYPE,
	text,
	type SimRequest,
	type SimResponse,
} from './respond';
import { handleRest, type RouteConfig } from './routes';
import type { SimulatorState } from './state';
import { loadTls } from './tls';

interface ServerConfig extends RouteConfig {
	latencyMs: number;
	dateHeader: boolean;
	tls: boolean;
	port: number;
}

interface RunningServer {
	url: string;
	close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** JSON when it parses (clients do not always send Content-Type), a form object for form posts, else the raw text. */
function parseBody(
	raw: string,
	contentType: string | undefined,
): { body: unknown; isJson: boolean } {
	if (raw === '') return { body: undefined, isJson: false };
	if (contentType?.includes('application/x-www-form-urlencoded')) {
		return { body: Object.fromEntries(new URLSearchParams(raw)), isJson: false };
	}
	try {
		return { body: JSON.parse(raw), isJson: true };
	} catch {
		return { body: raw, isJson: false };
	}
}

function jsessionOf(header: string | undefined): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const [name, ...rest] = part.trim().split('=');
		if (name === 'JSESSIONID') return rest.join('=');
	}
	return undefined;
}

function echoed(fault: Fault, req: SimRequest): SimResponse {
	const status = fault.status ?? 500;
	const quoted = `request ${req.method} ${req.path} with Cookie ${String(req.headers.cookie ?? '')} and body ${req.rawBody}`;
	return fault.echo === 'json'
		? json(status, { status: 'FAILURE', message: `Could not handle ${quoted}` })
		: html(
				status,
				`<html><body><h1>Error ${status}</h1><pre>${quoted}</pre><form><input name="password" value="${
					req.isJson
						? ''
						: String((req.body as Record<string, unknown> | undefined)?.password ?? '')
				}"></form></body></html>`,
			);
}

function faultResponse(fault: Fault, req: SimRequest): SimResponse {
	const status = fault.status ?? 500;
	const headers: Record<string, string> = { ...(fault.headers ?? {}) };
	if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
	let response: SimResponse;
	if (status === 204) {
		// No Content: no body and no Content-Type, whatever the fault says.
		response = { status, headers: {}, body: '' };
	} else if (fault.echo) {
		response = echoed(fault, req);
	} else if (fault.body === undefined) {
		response = json(status, {
			status: 'FAILURE',
			message: http.STATUS_CODES[status] ?? 'Simulated fault',
		});
	} else if (typeof fault.body === 'string') {
		response = text(status, fault.body);
	} else {
		response = json(status, fault.body);
	}
	response.headers = { ...response.headers, ...headers };
	return response;
}

/** HTTP 200 whose query envelope says FAILURE (no data) or PARTIAL_SUCCESS (data kept), as FS-PY handles. */
function rewriteEnvelope(
	response: SimResponse,
	status: 'FAILURE' | 'PARTIAL_SUCCESS',
): SimResponse {
	if (
		response.status !== 200 ||
		!String(response.headers['Content-Type'] ?? '').startsWith('application/json')
	) {
		return response;
	}
	const parsed: unknown = JSON.parse(bodyText(response));
	const base = isRecord(parsed) ? parsed : { data: parsed };
	const message =
		status === 'FAILURE'
			? 'Simulated failure: the query failed on the server'
			: 'Simulated partial success: some servers did not answer';
	return json(200, {
		...base,
		data: status === 'FAILURE' ? null : (base.data ?? null),
		status,
		message,
		failures: 1,
	});
}

export async function listen(state: SimulatorState, cfg: ServerConfig): Promise<RunningServer> {
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			timers.add(t);
		});

	const route = (req: SimRequest): SimResponse => {
		if (req.path === '/rest' || req.path.startsWith('/rest/')) {
			const session = state.sessions.authenticated(req.cookie);
			if (!session) return state.sessions.unauthorized();
			return handleRest(req, state, cfg, session);
		}
		return state.sessions.handle(req) ?? text(404, 'Not Found');
	};

	const write = (res: http.ServerResponse, response: SimResponse) => {
		if (res.destroyed) return;
		// Node would stamp its own (real) time; the console's Date is the console's clock, right or wrong.
		res.sendDate = false;
		if (cfg.dateHeader) res.setHeader('Date', new Date(state.clock.now()).toUTCString());
		const { body } = response;
		if (!Array.isArray(body)) {
			res.writeHead(response.status, response.headers);
			res.end(body);
			return;
		}
		const length = body.reduce((n, b) => n + b.length, 0);
		res.writeHead(response.status, { ...response.headers, 'Content-Length': String(length) });
		res.cork();
		for (const chunk of body) res.write(chunk);
		res.end();
	};

	const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse) => {
		const raw = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://localhost');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const query = Object.fromEntries(url.searchParams);
		const { body, isJson } = parseBody(raw, req.headers['content-type']);
		const simReq: SimRequest = {
			method,
			path,
			query,
			headers: req.headers,
			cookie: jsessionOf(req.headers.cookie),
			rawBody: raw,
			body,
			isJson,
		};

		if (path.startsWith('/__sim/')) {
			write(res, handleControl(simReq, state));
			return;
		}

		const record: RecordedRequest = {
			method,
			path,
			query,
			cookie: simReq.cookie,
			body,
			rawBody: raw,
			contentType: req.headers['content-type'],
			status: 'dropped',
			time: state.clock.now(),
		};
		state.requests.push(record);
		const fault = state.takeFault(method, path);
		const delay = (path.startsWith('/rest/') ? cfg.latencyMs : 0) + (fault?.latencyMs ?? 0);
		if (delay > 0) await sleep(delay);
		fault?.act?.(state);

		if (fault?.drop === 'beforeProcessing') {
			req.socket.destroy();
			return;
		}
		let response: SimResponse;
		if (fault?.status !== undefined && fault.drop !== 'afterProcessing' && !fault.processFirst) {
			response = faultResponse(fault, simReq);
		} else {
			try {
				response = route(simReq);
			} catch (error) {
				response = json(500, {
					status: 'FAILURE',
					message: `Simulator error: ${(error as Error).message}`,
				});
			}
			if (fault?.envelopeStatus) response = rewriteEnvelope(response, fault.envelopeStatus);
			if (fault?.headers) response.headers = { ...response.headers, ...fault.headers };
			// The work is done (a remediation may exist now), and the client gets the canned answer instead.
			if (fault?.processFirst && fault.status !== undefined)
				response = faultResponse(fault, simReq);
		}
		if (fault?.drop === 'afterProcessing') {
			// The work is done (a remediation may exist now) but the client never hears about it.
			req.socket.destroy();
			return;
		}
		record.status = response.status;
		write(res, response);
	};

	const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
		onRequest(req, res).catch((error: Error) => {
			if (!res.headersSent)
				write(res, {
					status: 500,
					headers: { 'Content-Type': JSON_TYPE },
					body: JSON.stringify({ message: error.message }),
				});
		});
	};
	const server = cfg.tls ? https.createServer(loadTls(), handler) : http.createServer(handler);
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(cfg.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : cfg.port;
	// https uses the name on the certificate; http stays on the literal loopback address.
	const url = cfg.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;

	let closing: Promise<void> | undefined;
	return {
		url,
		close() {
			closing ??= new Promise<void>((resolve) => {
				for (const t of timers) clearTimeout(t);
				timers.clear();
				server.close(() => resolve());
				server.closeAllConnections();
				for (const s of sockets) s.destroy();
			});
			return closing;
		},
	};
}
