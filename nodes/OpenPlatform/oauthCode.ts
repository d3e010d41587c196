/**
 * OpenPlatform appends `?code=` to the redirect URI blindly, so a callback URI that already has a
 * query ends up as `...?a=1?code=x`: a query parser then sees `a = "1?code=x"` and no `code`.
 * This finds the code in a bare code, in a full callback URL, or in a query value swallowed that way.
 */
export function extractCode(value: string): string {
	const text = value.trim();
	const matches = [...text.matchAll(/[?&]code=([^&#?]*)/g)];
	const last = matches[matches.length - 1];
	return last ? decodeOrKeep(last[1]) : text;
}

/** A code with a broken %-sequence is passed on as it came; OpenPlatform then refuses it plainly. */
function decodeOrKeep(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
