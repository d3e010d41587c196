/**
 * The plain HTML pages behind the answer links: readable on a phone, no script, no outside assets
 * (n8n serves them under its form sandbox policy).
 */

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A page; `body` is either plain text (escaped here) or HTML made by this module or form.ts. */
export function page(title: string, body: string): string {
	const content = body.startsWith('<') ? body : `<p>${escapeHtml(body)}</p>`;
	return (
		'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em">` +
		`<h1>${escapeHtml(title)}</h1>${content}</body></html>`
	);
}

export const RECORDED = 'Your answer was recorded. You can close this page.';

/** Opening an approval link decides nothing (link previews and mail scanners open links too): the button does. */
export function confirmApproval(label: string): string {
	return page(label, `<p>Send this answer: <strong>${escapeHtml(label)}</strong>?</p><form method="post"><button type="submit">${escapeHtml(label)}</button></form>`);
}

export function textForm(maxLength: number, problem?: string, entered = ''): string {
	const alert = problem ? `<p role="alert" style="color:#b00020">${escapeHtml(problem)}</p>` : '';
	return page(
		'Your answer',
		`${alert}<form method="post"><label for="text">Your answer</label><br>` +
			`<textarea id="text" name="text" rows="6" style="width:100%;box-sizing:border-box" required maxlength="${maxLength}">${escapeHtml(entered)}</textarea><br>` +
			'<button type="submit">Send</button></form>',
	);
}
