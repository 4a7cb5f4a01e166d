/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
// The machine a benchmark ran on, as printed at the top of every report.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';

export interface MachineInfo {
	cpu: string;
	cores: number;
	node: string;
	os: string;
	memory: string;
	loadAverage: number[];
}

function cpuModel(): string {
	const model = cpus()[0]?.model?.trim();
	if (model) return model;
	try {
		return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

export function machineInfo(): MachineInfo {
	return {
		cpu: cpuModel(),
		cores: cpus().length,
		node: process.version,
		os: `${osType()} ${release()}`,
		memory: `${Math.round(totalmem() / 1_073_741_824)} GB`,
		loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
	};
}

export function describeMachine(info: MachineInfo): string {
	return `${info.cpu}, ${info.cores} cores, ${info.memory} RAM, Node ${info.node}, ${info.os}; load average (1/5/15 min) ${info.loadAverage.join(' / ')}`;
}
