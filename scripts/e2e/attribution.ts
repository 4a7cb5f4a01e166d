/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// A recording reverse proxy in front of the simulator that knows which n8n process sent each request.
//
// In queue mode one credential (one Server URL) serves the main and every worker, so the simulator
// cannot tell them apart. The proxy can: for each accepted connection it looks up the client's socket in
// /proc/net/tcp (its inode), finds the process holding that inode in /proc/<pid>/fd, and maps the
// process's group to a label registered by the harness ("main", "worker-1", ...). Every n8n process runs
// in its own process group (proc.ts), which also covers the 2.x task runner child. Linux only; nothing in
// n8n's environment changes.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ProxyRecord {
	seq: number;
	time: number;
	/** Label of the sending process group ("main", "worker-1", ...), or "pid N" / "unknown". */
	origin: string;
	pid?: number;
	method: string;
	path: string;
	/** JSESSIONID value the request carried. */
	cookie?: string;
	/** JSESSIONID value the answer set (a login). */
	setCookie?: string;
	status: number;
	/** Parsed JSON request body, for POSTs. */
	body?: unknown;
}

function jsession(header: string | string[] | undefined): string | undefined {
	const values = Array.isArray(header) ? header : header ? [header] : [];
	for (const value of values) {
		const match = /(?:^|[;,\s])JSESSIONID=([^;,\s]*)/.exec(value);
		if (match) return match[1];
	}
	return undefined;
}

/** Inode of the client socket 127.0.0.1:clientPort -> 127.0.0.1:serverPort, from /proc/net/tcp{,6}. */
async function socketInode(clientPort: number, serverPort: number): Promise<string | undefined> {
	const local = `:${clientPort.toString(16).toUpperCase().padStart(4, '0')}`;
	const remote = `:${serverPort.toString(16).toUpperCase().padStart(4, '0')}`;
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		const text = await readFile(table, 'utf8').catch(() => '');
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10) continue;
			if (fields[1].endsWith(local) && fields[2].endsWith(remote)) return fields[9];
		}
	}
	return undefined;
}

async function processGroupOf(pid: number): Promise<number | undefined> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	// pid (comm) state ppid pgrp ...; comm may hold spaces or parentheses, so parse after the last ')'.
	const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const pgrp = Number(rest[2]);
	return Number.isInteger(pgrp) ? pgrp : undefined;
}

export class AttributingProxy {
	readonly records: ProxyRecord[] = [];
	private readonly labels = new Map<number, string>();
	private readonly origins = new WeakMap<Socket, Promise<{ origin: string; pid?: number }>>();
	private server?: Server;
	private seq = 0;
	port = 0;
	/** Called for every request after the target answered and before the client gets the answer. */
	onRecord?: (record: ProxyRecord) => void;

	constructor(
		private readonly targetPort: number,
		private readonly targetHost = '127.0.0.1',
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Requests from processes in this process group get this label. */
	label(processGroup: number | undefined, name: string): void {
		if (processGroup !== undefined) this.labels.set(processGroup, name);
	}

	/** Which registered process group holds the client end of this socket. */
	private async identify(socket: Socket): Promise<{ origin: string; pid?: number }> {
		const inode =
			socket.remotePort === undefined ? undefined : await socketInode(socket.remotePort, this.port);
		if (!inode || inode === '0') return { origin: 'unknown' };
		const target = `socket:[${inode}]`;
		const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
		for (const pid of pids) {
			const group = await processGroupOf(pid);
			if (group === undefined || !this.labels.has(group)) continue;
			const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
			for (const fd of fds) {
				const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
				if (link === target) return { origin: this.labels.get(group) ?? `pid ${pid}`, pid };
			}
		}
		return { origin: 'unknown' };
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const socket = req.socket;
			let origin = this.origins.get(socket);
			if (!origin) {
				origin = this.identify(socket);
				this.origins.set(socket, origin);
			}
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				void (async () => {
					const who = await origin;
					const body = Buffer.concat(chunks);
					const headers: IncomingHttpHeaders = {
						...req.headers,
						host: `${this.targetHost}:${this.targetPort}`,
					};
					const upstream = request(
						{
							host: this.targetHost,
							port: this.targetPort,
							method: req.method,
							path: req.url,
							headers,
						},
						(answer) => {
							const record: ProxyRecord = {
								seq: ++this.seq,
								time: Date.now(),
								origin: who.origin,
								pid: who.pid,
								method: req.method ?? 'GET',
								path: (req.url ?? '').split('?')[0],
								cookie: jsession(req.headers.cookie),
								setCookie: jsession(answer.headers['set-cookie']),
								status: answer.statusCode ?? 0,
							};
							if (req.method === 'POST' && body.length > 0 && body.length < 1_000_000) {
								try {
									record.body = JSON.parse(body.toString('utf8'));
								} catch {
									// a login form, not JSON
								}
							}
							this.records.push(record);
							this.onRecord?.(record);
							res.writeHead(answer.statusCode ?? 502, answer.headers);
							answer.pipe(res);
						},
					);
					upstream.on('error', (error) => {
						res.writeHead(502, { 'content-type': 'text/plain' });
						res.end(`proxy: ${error.message}`);
					});
					upstream.end(body);
				})();
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server?.once('error', reject);
			this.server?.listen(0, '127.0.0.1', () => resolve());
		});
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : 0;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		server.closeAllConnections?.();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
