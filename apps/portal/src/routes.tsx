import type { ReactNode } from 'react';
import type { Role } from './api/client';
import { DisputesPage } from './pages/admin/disputes.page';
import { OffersAdminPage } from './pages/admin/offers-admin.page';
import { RefundsPage } from './pages/admin/refunds.page';
import { UsersPage } from './pages/admin/users.page';
import { CataloguePage } from './pages/creator/catalogue.page';
import { CataloguesPage } from './pages/creator/catalogues.page';
import { EarningsPage, StatementPage } from './pages/creator/earnings.page';
import { CreatorOverviewPage, InvitationPage } from './pages/creator/overview.page';
import { PayoutsPage } from './pages/creator/payouts.page';
import { ProfilePage } from './pages/creator/profile.page';
import { WorkPage } from './pages/creator/work.page';
import { PayoutRunPage, PayoutRunsPage } from './pages/finance/payout-runs.page';
import { ReconciliationPage, TrialBalancePage, UnclaimedPage } from './pages/finance/reports.page';
import { RoyaltyRunPage, RoyaltyRunsPage } from './pages/finance/royalty-runs.page';
import { ApiKeysPage } from './pages/licensee/api-keys.page';
import { BrowsePage } from './pages/licensee/browse.page';
import { LicencePage, LicencesPage } from './pages/licensee/licences.page';
import { OffersPage } from './pages/licensee/offers.page';
import { UsagePage } from './pages/licensee/usage.page';
import { SignInPage, SignUpPage } from './pages/public/auth.page';
import { HomePage } from './pages/public/home.page';
import { RegisterPage } from './pages/public/register.page';
import { RulesPage } from './pages/public/rules.page';

export interface RouteDef {
  path: string;
  roles?: Role[];
  render: (params: Record<string, string>) => ReactNode;
}

const CREATOR: Role[] = ['creator'];
const LICENSEE: Role[] = ['licensee'];
const FINANCE: Role[] = ['finance'];
const STAFF: Role[] = ['admin', 'finance'];

/**
 * Every page of the portal; the first match wins. Paths avoid the API's own prefixes (/v1, /docs,
 * /admin, /health). `/licences/:id` is where Stripe Checkout sends the buyer back (PUBLIC_URL).
 */
export const ROUTES: RouteDef[] = [
  { path: '/', render: () => <HomePage /> },
  { path: '/register', render: () => <RegisterPage /> },
  { path: '/rules', render: () => <RulesPage /> },
  { path: '/sign-in', render: () => <SignInPage /> },
  { path: '/sign-up', render: () => <SignUpPage /> },
  { path: '/offers', render: () => <OffersPage /> },

  { path: '/creator', roles: CREATOR, render: () => <CreatorOverviewPage /> },
  { path: '/creator/profile', roles: CREATOR, render: () => <ProfilePage /> },
  { path: '/creator/catalogues', roles: CREATOR, render: () => <CataloguesPage /> },
  { path: '/creator/catalogues/:id', roles: CREATOR, render: (p) => <CataloguePage id={p.id} /> },
  { path: '/creator/works/:id', roles: CREATOR, render: (p) => <WorkPage id={p.id} /> },
  { path: '/creator/earnings', roles: CREATOR, render: () => <EarningsPage /> },
  { path: '/creator/statements/:runId', roles: CREATOR, render: (p) => <StatementPage runId={p.runId} /> },
  { path: '/creator/payouts', roles: CREATOR, render: () => <PayoutsPage /> },
  // Stripe Connect onboarding returns here (PUBLIC_URL/payouts/onboarding?done=1 or ?refresh=1).
  { path: '/payouts/onboarding', roles: CREATOR, render: () => <PayoutsPage /> },
  { path: '/creator/invitations', roles: CREATOR, render: () => <InvitationPage /> },

  { path: '/licensee/catalogue', roles: LICENSEE, render: () => <BrowsePage /> },
  { path: '/licensee/offers', roles: LICENSEE, render: () => <OffersPage /> },
  { path: '/licensee/licences', roles: LICENSEE, render: () => <LicencesPage /> },
  { path: '/licences/:id', roles: ['licensee', 'finance', 'admin'], render: (p) => <LicencePage id={p.id} /> },
  { path: '/licensee/usage', roles: LICENSEE, render: () => <UsagePage /> },
  { path: '/licensee/api-keys', roles: LICENSEE, render: () => <ApiKeysPage /> },

  { path: '/finance/royalty-runs', roles: FINANCE, render: () => <RoyaltyRunsPage /> },
  { path: '/finance/royalty-runs/:id', roles: FINANCE, render: (p) => <RoyaltyRunPage id={p.id} /> },
  { path: '/finance/payout-runs', roles: FINANCE, render: () => <PayoutRunsPage /> },
  { path: '/finance/payout-runs/:id', roles: FINANCE, render: (p) => <PayoutRunPage id={p.id} /> },
  { path: '/finance/reconciliation', roles: FINANCE, render: () => <ReconciliationPage /> },
  { path: '/finance/unclaimed', roles: FINANCE, render: () => <UnclaimedPage /> },
  { path: '/finance/trial-balance', roles: STAFF, render: () => <TrialBalancePage /> },

  { path: '/manage/offers', roles: STAFF, render: () => <OffersAdminPage /> },
  { path: '/manage/users', roles: ['admin'], render: () => <UsersPage /> },
  { path: '/manage/disputes', roles: ['admin'], render: () => <DisputesPage /> },
  { path: '/manage/refunds', roles: ['admin'], render: () => <RefundsPage /> },
];
