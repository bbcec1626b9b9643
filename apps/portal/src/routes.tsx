import type { ReactNode } from 'react';
import type { Role } from './api/client';
import { SignInPage, SignUpPage } from './pages/public/auth.page';
import { HomePage } from './pages/public/home.page';
import { RegisterPage } from './pages/public/register.page';
import { RulesPage } from './pages/public/rules.page';

export interface RouteDef {
  path: string;
  roles?: Role[];
  render: (params: Record<string, string>) => ReactNode;
}

/** Every page of the portal; the first match wins. Paths avoid the API's own prefixes (/v1, /docs, /admin…). */
export const ROUTES: RouteDef[] = [
  { path: '/', render: () => <HomePage /> },
  { path: '/register', render: () => <RegisterPage /> },
  { path: '/rules', render: () => <RulesPage /> },
  { path: '/sign-in', render: () => <SignInPage /> },
  { path: '/sign-up', render: () => <SignUpPage /> },
];
