// Pure: Visual Search Process and Machine answers -> items (xsoar-malop_processes_raw_response): one item per
// process instance with its machine, user, command line, parent and image hashes; machines by GUID.
import type { IDataObject } from 'n8n-workflow';

import type { QueryAnswerFacts } from '../malops/elements';
import { isRecord, parseBoolean } from '../malops/values';
import type { MalopElement } from '../types';
import {
	flag,
	hash,
	linksOf,
	nameOf,
	number,
	ref,
	suspicionsOf,
	text,
	time,
	valuesOf,
} from './read';

export function processItem(key: string, element: MalopElement): IDataObject {
	const sv = valuesOf(element);
	const ev = linksOf(element);
	const machine = ref(ev, 'ownerMachine');
	const parent = ref(ev, 'parentProcess');
	return {
		processGuid: key,
		name: text(sv, 'elementDisplayName') ?? text(sv, 'calculatedName'),
		commandLine: text(sv, 'commandLine'),
		pid: number(sv, 'pid'),
		machineName: nameOf(machine),
		machineGuid: machine?.guid ?? null,
		// `host\user`, as the console names users.
		user: nameOf(ref(ev, 'calculatedUser')),
		parentProcessName: nameOf(parent),
		parentProcessGuid: parent?.guid ?? null,
		imageFileHash: {
			md5: hash(sv, 'imageFile.md5String'),
			sha1: hash(sv, 'imageFile.sha1String'),
		},
		imageFilePath: text(sv, 'imageFile.correctedPath'),
		imageFileClassification: text(sv, 'imageFile.maliciousClassificationType'),
		creationTime: time(sv, 'creationTime'),
		endTime: time(sv, 'endTime'),
		running: flag(sv, 'isLiveProcess'),
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
		const sv = valuesOf(element);
		machines.set(key, {
			machineGuid: key,
			machineName: text(sv, 'elementDisplayName'),
			pylumId: text(sv, 'pylumId'),
			osType: text(sv, 'osType'),
			connected: flag(sv, 'isActiveProbeConnected'),
			isolated: flag(sv, 'isIsolated'),
		});
	}
	return machines;
}
