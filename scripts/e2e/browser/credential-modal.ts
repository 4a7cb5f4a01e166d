// The credential modal as a user meets it: sidebar + → Credential → "Cybereason API" → the form → Save.
// Save stores the credential and then runs n8n's credential test (POST /rest/credentials/test) with it.
import type { Locator } from 'playwright-core';

import { tid, type Editor } from './editor';

export interface CredentialFields {
	baseUrl: string;
	username: string;
	password: string;
}

/** `shown`: the lines above the form once "More details" is open (the banner and the test's message). */
export type TestOutcome = { ok: true } | { ok: false; shown: string[] };

export class CredentialModal {
	private constructor(
		readonly editor: Editor,
		readonly modal: Locator,
	) {}

	static async create(editor: Editor, typeName: string): Promise<CredentialModal> {
		await editor.openFromSidebar(/credential/i);
		await editor.t('new-credential-type-select').locator('input').fill(typeName);
		await editor
			.t('new-credential-type-select-option')
			.filter({ hasText: new RegExp(`^\\s*${typeName}\\s*$`) })
			.click();
		await editor.t('new-credential-type-button').click();
		const modal = editor.t('editCredential-modal');
		await modal.locator(tid('credential-connection-parameter')).first().waitFor();
		return new CredentialModal(editor, modal);
	}

	async fill(fields: Partial<CredentialFields>): Promise<void> {
		for (const [name, value] of Object.entries(fields)) {
			await this.modal.locator(`${tid(`parameter-input-${name}`)} input`).fill(value);
		}
	}

	/** Save, wait for n8n's test of the saved data, and read what the modal shows for it. */
	async save(): Promise<TestOutcome> {
		const tested = this.editor.page.waitForResponse(
			(r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST',
		);
		await this.modal.locator(tid('credential-save-button')).click();
		await tested;
		const config = this.modal.locator(tid('node-credentials-config-container'));
		const success = config.locator(tid('credentials-config-container-test-success'));
		// The failure banner has no test id: it is n8n's danger banner with the test's message behind
		// "More details" (both lines), so the message is read the way a user gets to it.
		const failure = config.getByText('More details', { exact: true });
		await success.or(failure).first().waitFor();
		if (await success.isVisible()) return { ok: true };
		await failure.click();
		const lines = (await config.innerText()).split('\n').map((l) => l.trim());
		const form = lines.findIndex((l) => l.startsWith('Need help') || l.startsWith('Server URL'));
		return { ok: false, shown: lines.slice(0, form < 0 ? 8 : form).filter((l) => l !== '') };
	}
}
