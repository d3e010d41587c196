/**
 * What a token OpenPlatform 4.9 hands out looks like, so that made-up tokens are refused before
 * any request (every token the server refuses brings its IP block closer).
 *
 * - App tokens (notify, badge, users URLs): `<appid>-<userid>-<crc32>-<crc32>`, four parts,
 *   the last two unsigned 32-bit numbers in decimal, at least 30 characters in all.
 * - Verify tokens (session): Total.js's `encrypt`: `<checksum>-<hex>`, where the hex spells
 *   `<length>=A<scrambled text>` and the checksum is the sum of the hex's character codes plus a
 *   constant of the server. That constant is learnt from verified tokens; once two agree, a token
 *   with another checksum is refused without asking the server.
 */

const CRC32 = /^(0|[1-9]\d{0,9})$/;
const VERIFY_TOKEN = /^(\d{1,12})-((?:3\d){1,4}3d41(?:[0-9a-f]{2}){8,1000})$/;

export function looksLikeAppToken(token: string): boolean {
	const parts = token.split('-');
	return token.length >= 30 && parts.length === 4 && parts[0] !== '' && parts[1] !== '' && CRC32.test(parts[2]) && CRC32.test(parts[3]);
}

function checksumConstant(token: string): number | undefined {
	const match = VERIFY_TOKEN.exec(token);
	if (!match) return undefined;
	let sum = 0;
	for (let index = 0; index < match[2].length; index++) sum += match[2].charCodeAt(index);
	return Number(match[1]) - sum;
}

/** Per OpenPlatform host: the checksum constants seen on verified tokens. */
const learnt = new Map<string, { constant: number; agreed: boolean } | 'varies'>();

export function looksLikeVerifyToken(host: string, token: string): boolean {
	const constant = checksumConstant(token);
	if (constant === undefined) return false;
	const known = learnt.get(host);
	return !(known !== undefined && known !== 'varies' && known.agreed && known.constant !== constant);
}

/** A token the server accepted: its checksum constant is the server's. */
export function learnVerifyToken(host: string, token: string): void {
	const constant = checksumConstant(token);
	const known = learnt.get(host);
	if (constant === undefined || known === 'varies') return;
	if (known === undefined) learnt.set(host, { constant, agreed: false });
	// Two accepted tokens that disagree: this server does not work as described, so the rule is not used for it.
	else if (known.constant !== constant) learnt.set(host, 'varies');
	else known.agreed = true;
}

/** Tests only. */
export function forgetLearntTokens(): void {
	learnt.clear();
}
