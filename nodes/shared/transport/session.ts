// Who logs in, and when, within one node run. n8n runs the credential's preAuthentication when the expirable
// cookie field is empty; left alone it would do so once per concurrent call (and again after every expiry). Here
// exactly one call carries each login (n8n persists the new cookie in the credential, so other executions and
// workers get it too) and the others wait for it and use its cookie.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

interface Deferred {
	promise: Promise<void>;
	resolve: () => void;
}

function deferred(): Deferred {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

/** The credentials one call sends with; `carrier` is set when this call carries a login. */
export interface SessionTicket {
	credentials?: ICredentialDataDecryptedObject;
	carrier?: Deferred;
	/** The session generation the call was sent on; an expiry answer names it. */
	generation: number;
}

export class SessionRenewal {
	private generation = 0;

	private renewal?: Deferred;

	private failure?: unknown;

	/** Credential data with the cookie from our own login, used for the rest of the run. */
	private fresh?: ICredentialDataDecryptedObject;

	constructor(private readonly stored: () => Promise<ICredentialDataDecryptedObject>) {}

	/**
	 * What the next try of a call sends with. `expiredAt`: the generation an earlier try of this call was refused
	 * on (a session-expiry answer), or undefined. Throws the login failure another call ran into.
	 */
	async ticket(expiredAt: number | undefined): Promise<SessionTicket> {
		if (expiredAt !== undefined) {
			if (this.generation <= expiredAt && this.renewal) await this.renewal.promise;
			this.throwFailure();
			if (this.generation <= expiredAt) {
				// Nobody has logged in again since our call was refused: this call carries the new login.
				return await this.carry({ sessionCookie: '' });
			}
			return { credentials: this.fresh, generation: this.generation };
		}
		if (this.fresh || (await this.stored()).sessionCookie) {
			return { credentials: this.fresh, generation: this.generation };
		}
		// No session yet: the first call carries the login, the others wait for it and use its cookie.
		if (this.renewal) {
			await this.renewal.promise;
			this.throwFailure();
			return { credentials: this.fresh, generation: this.generation };
		}
		return await this.carry({});
	}

	/** Claims the login before anything awaits, so concurrent calls see it and wait. */
	private async carry(overrides: ICredentialDataDecryptedObject): Promise<SessionTicket> {
		const carrier = deferred();
		this.renewal = carrier;
		const generation = this.generation;
		return { credentials: { ...(await this.stored()), ...overrides }, carrier, generation };
	}

	private throwFailure() {
		if (this.failure) throw this.failure;
	}

	/** After a carrying call: n8n wrote the new cookie into the object we passed (and persisted it). */
	settle(ticket: SessionTicket, loginFailure?: unknown) {
		if (!ticket.carrier) return;
		if (loginFailure) this.failure = loginFailure;
		if (ticket.credentials?.sessionCookie) {
			this.fresh = ticket.credentials;
			this.generation++;
		}
		this.renewal = undefined;
		ticket.carrier.resolve();
	}
}
