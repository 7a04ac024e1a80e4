import { createRouter, createWebHistory, type RouteLocationNormalized, type RouterHistory } from 'vue-router'
import { isSignedIn, restoreSession } from '@/session'
import HomeView from '@/views/HomeView.vue'
import NotFoundView from '@/views/NotFoundView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page's title (document.title and the page's h1). */
    titleKey?: string
    /** Only for signed-in people: others are sent to sign in first. */
    requiresAuth?: boolean
  }
}

export const routes = [
  { path: '/', name: 'home', component: HomeView, meta: { titleKey: 'titles.home' } },
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { titleKey: 'titles.signIn' } },
  {
    path: '/register',
    name: 'register',
    component: () => import('@/views/RegisterView.vue'),
    meta: { titleKey: 'titles.register' },
  },
  {
    path: '/password-reset',
    name: 'password-reset',
    component: () => import('@/views/PasswordResetView.vue'),
    meta: { titleKey: 'titles.passwordReset' },
  },
  {
    path: '/account',
    name: 'account',
    component: () => import('@/views/AccountView.vue'),
    meta: { titleKey: 'titles.account', requiresAuth: true },
  },
  {
    path: '/consultations',
    name: 'consultations',
    component: () => import('@/views/ConsultationsView.vue'),
    meta: { titleKey: 'titles.consultations' },
  },
  {
    path: '/consultations/:id',
    name: 'consultation',
    component: () => import('@/views/ConsultationView.vue'),
    props: true,
    meta: { titleKey: 'titles.consultation' },
  },
  {
    path: '/consultations/:id/comment',
    name: 'comment',
    component: () => import('@/views/CommentView.vue'),
    props: true,
    meta: { titleKey: 'titles.comment' },
  },
  {
    path: '/receipts',
    name: 'receipts',
    component: () => import('@/views/ReceiptLookupView.vue'),
    meta: { titleKey: 'titles.receipts' },
  },
  {
    path: '/my-comments',
    name: 'my-comments',
    component: () => import('@/views/MyCommentsView.vue'),
    meta: { titleKey: 'titles.myComments', requiresAuth: true },
  },
  {
    path: '/unfollow',
    name: 'unfollow',
    component: () => import('@/views/UnfollowView.vue'),
    meta: { titleKey: 'titles.unfollow' },
  },
  {
    path: '/my-follows',
    name: 'my-follows',
    component: () => import('@/views/MyFollowsView.vue'),
    meta: { titleKey: 'titles.myFollows', requiresAuth: true },
  },
  {
    path: '/policy-areas',
    name: 'policy-areas',
    component: () => import('@/views/PolicyAreasView.vue'),
    meta: { titleKey: 'titles.policyAreas' },
  },
  {
    path: '/statistics',
    name: 'statistics',
    component: () => import('@/views/StatisticsView.vue'),
    meta: { titleKey: 'statistics.title' },
  },
  {
    path: '/calendar',
    name: 'calendar',
    component: () => import('@/views/CalendarView.vue'),
    meta: { titleKey: 'calendar.title' },
  },
  {
    path: '/meetings/:id',
    name: 'meeting',
    component: () => import('@/views/MeetingView.vue'),
    props: true,
    meta: { titleKey: 'meeting.pageTitle' },
  },
  {
    path: '/open-days/:id',
    name: 'open-day',
    component: () => import('@/views/OpenDayView.vue'),
    props: true,
    meta: { titleKey: 'openDay.pageTitle' },
  },
  {
    path: '/open-days/:id/confirmation',
    name: 'open-day-confirmation',
    component: () => import('@/views/OpenDayConfirmationView.vue'),
    props: true,
    meta: { titleKey: 'openDay.confirmationTitle' },
  },
  {
    path: '/disclosure',
    name: 'disclosure',
    component: () => import('@/views/DisclosureView.vue'),
    meta: { titleKey: 'disclosure.title' },
  },
  {
    path: '/disclosure/:id',
    name: 'disclosure-item',
    component: () => import('@/views/DisclosureItemView.vue'),
    props: true,
    meta: { titleKey: 'disclosure.item.pageTitle' },
  },
  {
    path: '/console',
    component: () => import('@/views/console/ConsoleLayout.vue'),
    meta: { requiresAuth: true },
    children: [
      {
        path: '',
        name: 'console',
        component: () => import('@/views/console/ConsoleHomeView.vue'),
        meta: { titleKey: 'titles.console' },
      },
      {
        path: 'decisions',
        name: 'console-decisions',
        component: () => import('@/views/console/DecisionsView.vue'),
        meta: { titleKey: 'titles.consoleDecisions' },
      },
      {
        path: 'decisions/new',
        name: 'console-decision-new',
        component: () => import('@/views/console/DecisionNewView.vue'),
        meta: { titleKey: 'titles.decisionNew' },
      },
      {
        path: 'decisions/:id',
        name: 'console-decision',
        component: () => import('@/views/console/DecisionManageView.vue'),
        props: true,
        meta: { titleKey: 'titles.decisionManage' },
      },
      {
        path: 'decisions/:id/moderation',
        name: 'console-moderation',
        component: () => import('@/views/console/ModerationView.vue'),
        props: true,
        meta: { titleKey: 'titles.moderation' },
      },
      {
        path: 'decisions/:id/feedback',
        name: 'console-feedback',
        component: () => import('@/views/console/FeedbackWorkbenchView.vue'),
        props: true,
        meta: { titleKey: 'titles.feedback' },
      },
      {
        path: 'feedback',
        name: 'console-feedback-deadlines',
        component: () => import('@/views/console/FeedbackDeadlinesView.vue'),
        meta: { titleKey: 'titles.feedbackDeadlines' },
      },
      {
        path: 'meetings',
        name: 'console-meetings',
        component: () => import('@/views/console/MeetingsView.vue'),
        meta: { titleKey: 'consoleEvents.titles.meetings' },
      },
      {
        path: 'meetings/new',
        name: 'console-meeting-new',
        component: () => import('@/views/console/MeetingNewView.vue'),
        meta: { titleKey: 'consoleEvents.titles.meetingNew' },
      },
      {
        path: 'meetings/:id',
        name: 'console-meeting',
        component: () => import('@/views/console/MeetingManageView.vue'),
        props: true,
        meta: { titleKey: 'consoleEvents.titles.meeting' },
      },
      {
        path: 'open-days',
        name: 'console-open-days',
        component: () => import('@/views/console/OpenDaysView.vue'),
        meta: { titleKey: 'consoleEvents.titles.openDays' },
      },
      {
        path: 'open-days/new',
        name: 'console-open-day-new',
        component: () => import('@/views/console/OpenDayNewView.vue'),
        meta: { titleKey: 'consoleEvents.titles.openDayNew' },
      },
      {
        path: 'open-days/:id',
        name: 'console-open-day',
        component: () => import('@/views/console/OpenDayManageView.vue'),
        props: true,
        meta: { titleKey: 'consoleEvents.titles.openDay' },
      },
      {
        path: 'open-days/:id/check-in',
        name: 'console-check-in',
        component: () => import('@/views/console/OpenDayCheckInView.vue'),
        props: true,
        meta: { titleKey: 'consoleEvents.titles.checkIn' },
      },
      {
        path: 'catalogue',
        name: 'console-catalogue',
        component: () => import('@/views/console/CatalogueView.vue'),
        meta: { titleKey: 'titles.catalogue' },
      },
      {
        path: 'disclosure',
        name: 'console-disclosure',
        component: () => import('@/views/console/DisclosureItemsView.vue'),
        meta: { titleKey: 'disclosure.console.itemsTitle' },
      },
      {
        path: 'disclosure/new',
        name: 'console-disclosure-new',
        component: () => import('@/views/console/DisclosureEditView.vue'),
        meta: { titleKey: 'disclosure.editor.newTitle' },
      },
      {
        path: 'disclosure/import',
        name: 'console-disclosure-import',
        component: () => import('@/views/console/DisclosureImportView.vue'),
        meta: { titleKey: 'disclosure.import.title' },
      },
      {
        path: 'disclosure/reports',
        name: 'console-disclosure-reports',
        component: () => import('@/views/console/DisclosureReportsView.vue'),
        meta: { titleKey: 'disclosure.reports.title' },
      },
      {
        path: 'disclosure/coverage',
        name: 'console-disclosure-coverage',
        component: () => import('@/views/console/DisclosureCoverageView.vue'),
        meta: { titleKey: 'disclosure.coverage.title' },
      },
      {
        path: 'disclosure/:id',
        name: 'console-disclosure-item',
        component: () => import('@/views/console/DisclosureEditView.vue'),
        props: true,
        meta: { titleKey: 'disclosure.editor.editTitle' },
      },
      {
        path: 'agencies',
        name: 'console-agencies',
        component: () => import('@/views/console/AgenciesView.vue'),
        meta: { titleKey: 'titles.agencies' },
      },
      {
        path: 'agencies/:agencyId/staff',
        name: 'console-staff',
        component: () => import('@/views/console/AgencyStaffView.vue'),
        props: true,
        meta: { titleKey: 'titles.staff' },
      },
      {
        path: 'policy-areas',
        name: 'console-policy-areas',
        component: () => import('@/views/console/ConsolePolicyAreasView.vue'),
        meta: { titleKey: 'titles.consolePolicyAreas' },
      },
      {
        path: 'statistics',
        name: 'console-statistics',
        component: () => import('@/views/console/ConsoleStatisticsView.vue'),
        meta: { titleKey: 'statistics.consoleTitle' },
      },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView, meta: { titleKey: 'titles.notFound' } },
]

/** Only paths inside this app are followed after sign-in (no `//evil.example`). */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null
  return value
}

async function guard(to: RouteLocationNormalized) {
  await restoreSession()
  if (to.meta.requiresAuth && !isSignedIn.value) {
    return { name: 'login', query: { redirect: to.fullPath } }
  }
  return true
}

export function createAppRouter(history: RouterHistory = createWebHistory()) {
  const router = createRouter({
    history,
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
  router.beforeEach(guard)
  return router
}
