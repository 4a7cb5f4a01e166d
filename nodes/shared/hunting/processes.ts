// Pure: Visual Search Process and Machine answers -> items (xsoar-malop_processes_raw_response): one item per
// process instance with its machine, user, command line, parent and image hashes; machines by GUID.
import type { IDataObject } from 'n8n-workflow';

import type { QueryAnswerFacts } from '../malops/elements';
import { isRecord, parseBoolean } from '../malops/values';
import type { MalopElement } from '../types';
import { readElement, suspicionsOf } from './read';

export function processItem(key: string, element: MalopElement): IDataObject {
	const read = readElement(element);
	const machine = read.ref('ownerMachine');
	const parent = read.ref('parentProcess');
	return {
		processGuid: key,
		name: read.text('elementDisplayName') ?? read.text('calculatedName'),
		commandLine: read.text('commandLine'),
		pid: read.number('pid'),
		machineName: machine.name,
		machineGuid: machine.guid,
		// `host\user`, as the console names users.
		user: read.ref('calculatedUser').name,
		parentProcessName: parent.name,
		parentProcessGuid: parent.guid,
		imageFileHash: {
			md5: read.text('imageFile.md5String')?.toLowerCase() ?? null,
			sha1: read.text('imageFile.sha1String')?.toLowerCase() ?? null,
		},
		imageFilePath: read.text('imageFile.correctedPath'),
		imageFileClassification: read.text('imageFile.maliciousClassificationType'),
		creationTime: read.time('creationTime'),
		endTime: read.time('endTime'),
		running: read.flag('isLiveProcess'),
		// A JSON boolean, "false" or "True" depending on the capture.
		isMalicious: parseBoolean(element.isMalicious ?? element.malicious),
		suspicions: suspicionsOf(element) as unknown as IDataObject[],
	};
}

/** One item per process instance, in the console's order. */
export function processItems(facts: QueryAnswerFacts): IDataObject[] {
	const items: IDataObject[] = [];
	const map = facts.elements;
	for (const key in map) {
		const element = map[key];
		if (isRecord(element)) items.push(processItem(key, element));
	}
	return items;
}

export interface MachineFacts {
	machineGuid: string;
	machineName: string | null;
	pylumId: string | null;
	osType: string | null;
	connected: boolean | null;
	isolated: boolean | null;
}

/** A Machine answer by machine GUID. */
export function machinesByGuid(facts: QueryAnswerFacts): Map<string, MachineFacts> {
	const machines = new Map<string, MachineFacts>();
	const map = facts.elements;
	for (const key in map) {
		const element = map[key];
		if (!isRecord(element)) continue;
		const read = readElement(element);
		machines.set(key, {
			machineGuid: key,
			machineName: read.text('elementDisplayName'),
			pylumId: read.text('pylumId'),
			osType: read.text('osType'),
			connected: read.flag('isActiveProbeConnected'),
			isolated: read.flag('isIsolated'),
		});
	}
	return machines;
}
