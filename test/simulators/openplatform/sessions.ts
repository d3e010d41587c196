/** Login sessions: their verify tokens and OAuth codes. */
import { randomBytes } from 'crypto';
import type { Session, SimState, UserRecord } from './state';

export function login(state: SimState, record: UserRecord, appUrl: string): Session {
	for (const session of state.sessions.values()) {
		if (session.userId === record.user.id) session.alive = false;
	}
	const seq = ++state.sessionSeq;
	const now = Date.now();
	const session: Session = {
		id: `s${seq}`,
		userId: record.user.id,
		token: `${now}${seq}-${randomBytes(63).toString('hex')}`,
		code: `x${randomBytes(20).toString('hex')}`,
		alive: true,
		createdAt: now,
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

