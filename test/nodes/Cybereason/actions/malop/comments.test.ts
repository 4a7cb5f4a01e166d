// Add Comment and Get Comments: raw UTF-8 bodies (a legacy GUID stays text), HTML-unescaped messages, an empty
// comment refused, a lost or empty answer settled by reading the comments back, never posted twice.
import { generateDataset } from '../../../../../simulator';
import { addMalop, DEMO_USER, engineFor } from '../../../CybereasonRemediate/fixtures';
import { NODE, out, received, runNode, simulatorPerTest } from '../../fixtures';

const start = simulatorPerTest();

const ADD = { resource: 'malop', operation: 'addComment', comment: '={{ $json.text }}' };
const GET = { resource: 'malop', operation: 'getComments' };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TEXT = 'Isolated by n8n <b>"now"</b> & ticket INC-1\nsecond line: é ü';

describe('malop addComment and getComments', () => {
	it('posts the comment as raw UTF-8 text and outputs it as the console stored it', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-c1' }]);
		const before = malop.comments.length;
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid, text: TEXT }], ADD);
		expect(result.error).toBeUndefined();
		const [posted] = received(sim, `/rest/crimes/comment/${malop.guid}`);
		expect(posted.rawBody).toBe(TEXT);
		expect(posted.contentType).toBe('text/plain;charset=UTF-8');
		const stored = sim.state.malops.get(malop.guid)!.comments.slice(before);
		expect(stored.map((c) => c.message)).toEqual([TEXT]);
		expect(out(result)).toEqual([
			{
				malopId: malop.guid,
				commentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
				message: TEXT,
				username: DEMO_USER.username,
				timestamp: expect.stringMatching(ISO),
			},
		]);
	});

	it('lists the comments one item per comment, unescaped, for a legacy GUID sent as text', async () => {
		const sim = await start({
			dataset: generateDataset({ malops: 2, guidStyle: 'legacy', seed: 3, baseTime: Date.now() }),
		});
		const [malop] = sim.state.malops.values();
		expect(malop.guid).toMatch(/^-?\d+\.-?\d+$/);
		const before = malop.comments.length;
		await runNode(
			engineFor(sim),
			[
				{ malopId: malop.guid, text: 'first <one>' },
				{ malopId: malop.guid, text: TEXT },
			],
			ADD,
		);
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], GET);
		expect(received(sim, '/rest/crimes/get-comments')[0].rawBody).toBe(malop.guid);
		const items = out(result);
		expect(items).toHaveLength(before + 2);
		expect(items.slice(before).map((i) => i.message)).toEqual(['first <one>', TEXT]);
		expect(items[before]).toEqual({
			malopId: malop.guid,
			commentId: expect.any(String),
			message: 'first <one>',
			username: DEMO_USER.username,
			timestamp: expect.stringMatching(ISO),
		});
		result.output(NODE).forEach((item) => expect(item.pairedItem).toEqual({ item: 0 }));
	});

	it('refuses an empty comment, naming the item, and sends nothing for it', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-c2' }]);
		const input = [
			{ malopId: malop.guid, text: '  \n ' },
			{ malopId: malop.guid, text: 'fine' },
		];
		const strict = await runNode(engineFor(sim), input, ADD);
		expect(strict.error?.message).toBe('The comment of item 0 is empty');
		expect(received(sim, `/rest/crimes/comment/${malop.guid}`)).toHaveLength(0);

		const lenient = await runNode(engineFor(sim), input, ADD, { continueOnFail: true });
		const [bad, good] = out(lenient);
		expect(bad.error).toBe('The comment of item 0 is empty');
		expect(good.message).toBe('fine');
		expect(received(sim, `/rest/crimes/comment/${malop.guid}`)).toHaveLength(1);
	});

	it('names the item of an unknown Malop', async () => {
		const sim = await start();
		const result = await runNode(engineFor(sim), [{ malopId: 'AAAAnoSuchMalop3' }], GET);
		expect(result.error?.message).toBe(
			'Could not read the comments of Malop AAAAnoSuchMalop3 (item 0): Cybereason rejected the request (HTTP 400): Unknown Malop AAAAnoSuchMalop3',
		);
	});

	it('reads the comment back when the console answers {}', async () => {
		const sim = await start();
		sim.state.management.commentAnswer = 'empty';
		const { malop } = addMalop(sim, [{ name: 'desktop-c3' }]);
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid, text: 'quiet' }], ADD);
		const [item] = out(result);
		expect(item.commentId).toBe(sim.state.malops.get(malop.guid)?.comments.at(-1)?.commentId);
		expect(item.message).toBe('quiet');
		expect(received(sim, '/rest/crimes/get-comments')).toHaveLength(1);
	});

	it('settles a lost answer from the comments and never posts twice', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-c4' }]);
		const before = malop.comments.length;
		const path = `/rest/crimes/comment/${malop.guid}`;
		sim.state.addFault({ path, drop: 'afterProcessing' });
		const found = await runNode(engineFor(sim), [{ malopId: malop.guid, text: 'once' }], ADD);
		expect(out(found)[0].note).toMatch(
			/^The console's answer was lost \(.*\); the comment was found on the Malop and was not posted again\.$/,
		);
		expect(received(sim, path)).toHaveLength(1);

		// Lost before the console stored it: an error that says it was not posted again.
		sim.state.addFault({ path, drop: 'beforeProcessing' });
		const lost = await runNode(engineFor(sim), [{ malopId: malop.guid, text: 'twice?' }], ADD);
		expect(lost.error?.message).toMatch(/^Could not comment on Malop .* \(item 0\): /);
		expect(lost.error?.description).toMatch(
			/The comment is not among the Malop's comments \(or they could not be read\); it was not posted again\./,
		);
		expect(received(sim, path)).toHaveLength(2);
		const stored = sim.state.malops.get(malop.guid)!.comments.slice(before);
		expect(stored.map((c) => c.message)).toEqual(['once']);
	});

	it('fails a comment list that is not a list', async () => {
		const sim = await start();
		const { malop } = addMalop(sim, [{ name: 'desktop-c5' }]);
		sim.state.addFault({ path: '/rest/crimes/get-comments', status: 200, body: { data: null } });
		const result = await runNode(engineFor(sim), [{ malopId: malop.guid }], GET);
		expect(result.error?.message).toBe(
			`Could not read the comments of Malop ${malop.guid} (item 0): the console answered /rest/crimes/get-comments with HTTP 200 and {"data":null} instead of a comment list`,
		);
	});
});
