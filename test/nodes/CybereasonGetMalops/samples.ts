/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test fixtures are read from the shared samples folder */
// The public captures live beside the checkout (../shared/cybereason-samples, see its README) and are never copied
// into the project. Tests that need them are skipped where that folder does not exist.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Jest runs from the repository root. */
export const SAMPLES_DIR = resolve('..', 'shared', 'cybereason-samples');

export const samplesAvailable = existsSync(
	resolve(SAMPLES_DIR, 'xsoar-query_malop_raw_response.json'),
);

export const describeWithSamples: jest.Describe = samplesAvailable ? describe : describe.skip;

/** A fresh parse of one sample file (callers may mutate it). */
export function sample<T = unknown>(name: string): T {
	return JSON.parse(readFileSync(resolve(SAMPLES_DIR, name), 'utf8')) as T;
}
