/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
// A recording reverse proxy in front of the simulator that knows which n8n process sent each request.
//
// In queue mode one credential (one Server URL) serves the main and every worker, so the simulator cannot tell
// them apart. The proxy can: for each accepted connection it looks up the client's socket in /proc/net/tcp (its
// inode), finds the process holding that inode in /proc/<pid>/fd, and maps the process's group to a label
// registered by the harness ("main", "worker-1", ...). Every n8n process runs in its own process group (proc.ts),
// which also covers the 2.x task runner child. Linux only; nothing in n8n's environment changes.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ProxyRecord {
	seq: number;
	/** Label of the sending process group ("main", "worker-1", ...), or "unknown". */
	origin: string;
	method: string;
	path: string;
	/** JSESSIONID value the request carried, and the one the answer set (a login). */
	cookie?: string;
	setCookie?: string;
	status: number;
	/** Parsed JSON request body. */
	body?: unknown;
}

function jsession(header: string | string[] | undefined): string | undefined {
	for (const value of [header ?? []].flat()) {
		const match = /(?:^|[;,\s])JSESSIONID=([^;,\s]*)/.exec(value);
		if (match) return match[1];
	}
	return undefined;
}

/** Inode of the client socket 127.0.0.1:clientPort -> 127.0.0.1:serverPort, from /proc/net/tcp{,6}. */
async function socketInode(clientPort: number, serverPort: number): Promise<string | undefined> {
	const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		for (const line of (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields[1]?.endsWith(hex(clientPort)) && fields[2]?.endsWith(hex(serverPort)))
				return fields[9];
		}
	}
	return undefined;
}

/** pid (comm) state ppid pgrp ...; comm may hold spaces or parentheses, so parse after the last ')'. */
async function processGroupOf(pid: string): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

export class AttributingProxy {
	readonly records: ProxyRecord[] = [];
	private readonly labels = new Map<number, string>();
	private readonly origins = new WeakMap<Socket, Promise<string>>();
	private server?: Server;
	port = 0;
	/** Called for every request after the target answered and before the client gets the answer. */
	onRecord?: (record: ProxyRecord) => void;

	constructor(private readonly targetPort: number) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Requests from processes in this process group get this label. */
	label(processGroup: number | undefined, name: string): void {
		if (processGroup !== undefined) this.labels.set(processGroup, name);
	}

	private async identify(socket: Socket): Promise<string> {
		const inode = await socketInode(socket.remotePort ?? 0, this.port);
		if (!inode || inode === '0') return 'unknown';
		for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
			const label = this.labels.get(await processGroupOf(pid));
			if (!label) continue;
			for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]))
				if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === `socket:[${inode}]`)
					return label;
		}
		return 'unknown';
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			// Looked up while the connection is open: n8n-core opens a new one for every request.
			let origin = this.origins.get(req.socket);
			if (!origin) this.origins.set(req.socket, (origin = this.identify(req.socket)));
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', async () => {
				const who = await origin;
				const body = Buffer.concat(chunks);
				const headers = { ...req.headers, host: `127.0.0.1:${this.targetPort}` };
				const options = {
					host: '127.0.0.1',
					port: this.targetPort,
					method: req.method,
					path: req.url,
					headers,
				};
				const upstream = request(options, (answer) => {
					const record: ProxyRecord = {
						seq: this.records.length + 1,
						origin: who,
						method: req.method ?? 'GET',
						path: (req.url ?? '').split('?')[0],
						cookie: jsession(req.headers.cookie),
						setCookie: jsession(answer.headers['set-cookie']),
						status: answer.statusCode ?? 0,
					};
					try {
						record.body = JSON.parse(body.toString('utf8'));
					} catch {
						// a login form, not JSON
					}
					this.records.push(record);
					this.onRecord?.(record);
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				});
				upstream.on('error', (error) => res.writeHead(502).end(`proxy: ${error.message}`));
				upstream.end(body);
			});
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : 0;
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise((resolve) => this.server?.close(resolve));
	}
}
