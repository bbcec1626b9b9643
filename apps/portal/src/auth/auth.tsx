import { createContext, ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { api, Role, session, TokenPair, User } from '../api/client';

interface Auth {
  /** undefined while the stored refresh token is being tried. */
  user: User | null | undefined;
  signIn: (email: string, password: string) => Promise<User>;
  signUp: (body: { email: string; password: string; displayName: string; role: 'creator' | 'licensee'; organisationName?: string; organisationInviteCode?: string }) => Promise<User>;
  signOut: () => Promise<void>;
  has: (role: Role) => boolean;
}

const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(session.refreshToken ? undefined : null);

  useEffect(() => {
    const off = session.onChange((pair) => setUser(pair?.user ?? null));
    if (session.refreshToken) void session.refresh().then((ok) => !ok && setUser(null));
    return () => {
      off();
    };
  }, []);

  const value = useMemo<Auth>(
    () => ({
      user,
      async signIn(email, password) {
        const pair = await api<TokenPair>('/v1/auth/login', { body: { email, password } });
        session.set(pair);
        return pair.user;
      },
      async signUp(body) {
        const pair = await api<TokenPair>('/v1/auth/register', { body });
        session.set(pair);
        return pair.user;
      },
      async signOut() {
        const refreshToken = session.refreshToken;
        session.set(null);
        if (refreshToken) await api('/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
      },
      has: (role) => !!user?.roles.includes(role),
    }),
    [user],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** Where a user lands after signing in. */
export function homeFor(user: User): string {
  if (user.roles.includes('finance')) return '/finance/royalty-runs';
  if (user.roles.includes('creator')) return '/creator';
  if (user.roles.includes('licensee')) return '/licensee/catalogue';
  if (user.roles.includes('admin')) return '/manage/offers';
  return '/';
}
