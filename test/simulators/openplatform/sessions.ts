/** Login sessions: their verify tokens and OAuth codes. */
import { randomBytes } from 'crypto';
import { sessionToken } from './sessionTokens';
import type { Session, SimState, UserRecord } from './state';

export function login(state: SimState, record: UserRecord, appUrl: string): Session {
	// A login gives the user a new verify salt: every earlier verify token of the user stops decoding.
	for (const session of state.sessions.values()) {
		if (session.userId === record.user.id) session.replaced = true;
	}
	const seq = ++state.sessionSeq;
	const now = Date.now();
	const id = `${now.toString(36)}${seq}s${randomBytes(3).toString('hex')}`;
	const session: Session = {
		id,
		userId: record.user.id,
		token: sessionToken(state.appId, id, randomBytes(8).toString('hex'), state.serverSecret),
		code: `x${randomBytes(20).toString('hex')}`,
		alive: true,
		replaced: false,
		expiresAt: now + state.sessionLifetimeMs,
		appUrl,
	};
	state.sessions.set(session.token, session);
	state.sessionsByCode.set(session.code, session);
	record.current = session;
	return session;
}

export function verifyUrlOf(state: SimState, session: Session): string {
	return `${state.baseUrl}/verify/?accesstoken=${encodeURIComponent(session.token)}`;
}

