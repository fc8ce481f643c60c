import { Hono } from 'hono'
import { describeConfig } from '../../config-describe.js'
import { listUserRows, overview, paginate, recentReports, storeStats, USER_SORTS, type UserSort, userDetail } from '../../core/admin-queries.js'
import type { Core } from '../../core/context.js'
import { limitsFor } from '../../core/quotas.js'
import { ErrorPage } from '../../../views/layout.js'
import { OUTCOME_FILTERS } from '../../../views/components.js'
import { bytes, duration, qs } from '../../../views/format.js'
import { OverviewLive, OverviewPage } from '../../../views/overview.js'
import { ReportsPage, ReportsTable } from '../../../views/reports.js'
import { SettingsPage } from '../../../views/settings.js'
import { UserLive, UserPage } from '../../../views/user.js'
import { UsersPage, UsersTable, type UsersQuery } from '../../../views/users.js'
import { VERSION } from '../../version.js'
import { HTMX_VERSION } from './assets.js'
import { type AdminContext, type AdminEnv, intParam } from './env.js'

const PER_PAGE = 50

/** the dashboard's pages, and the fragments htmx refreshes them with */
export function pageRoutes(core: Core): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const now = () => core.clock.now()

  const overviewProps = async (c: AdminContext) => ({ o: await overview(core), activity: core.activity.recent(20), now: now(), csrf: c.get('admin').csrf })
  app.get('/', async (c) => c.html(OverviewPage({ ...(await overviewProps(c)), session: c.get('admin') })))
  app.get('/overview/live', async (c) => c.html(OverviewLive(await overviewProps(c))))

  const usersProps = async (c: AdminContext) => {
    const query = usersQuery(c)
    const rows = paginate(await listUserRows(core, { query: query.q, sort: query.sort, desc: query.desc }), query.page, PER_PAGE)
    return { rows, query: { ...query, page: rows.page }, all: (await storeStats(core)).users }
  }
  app.get('/users', async (c) => c.html(UsersPage({ ...(await usersProps(c)), session: c.get('admin') })))
  app.get('/users-table', async (c) => {
    const props = await usersProps(c)
    const { q, sort, desc, page } = props.query
    c.header('HX-Replace-Url', `/admin/users${qs({ q, sort, dir: desc ? 'desc' : 'asc', page: page > 1 ? page : undefined })}`)
    return c.html(UsersTable(props))
  })

  const userLive = async (c: AdminContext, id: string) => {
    const detail = await userDetail(core, id)
    if (!detail) return undefined
    const queue = paginate(detail.waiting, intParam(c.req.query('page'), 1), PER_PAGE)
    return {
      user: detail.user, row: detail.row, queue, now: now(), csrf: c.get('admin').csrf, sessions: detail.sessions,
      presence: detail.presence, lists: detail.lists,
    }
  }
  app.get('/users/:id', async (c) => {
    const id = c.req.param('id').toLowerCase()
    const live = await userLive(c, id)
    if (!live) return unknownUser(c, id)
    return c.html(UserPage({ ...live, defaults: limitsFor(core.config, undefined), locked: await core.loginGuard.locked(id), session: c.get('admin') }))
  })
  app.get('/users/:id/live', async (c) => {
    const id = c.req.param('id').toLowerCase()
    const live = await userLive(c, id)
    return live ? c.html(UserLive(live)) : unknownUser(c, id)
  })

  const reportsProps = async (c: AdminContext) => {
    const raw = intParam(c.req.query('outcome'), -1)
    const outcome = OUTCOME_FILTERS.some((f) => f.code === raw) ? raw : undefined
    const reports = paginate(await recentReports(core, outcome), intParam(c.req.query('page'), 1), PER_PAGE)
    return { reports, outcome, now: now() }
  }
  app.get('/reports', async (c) => c.html(ReportsPage({ ...(await reportsProps(c)), session: c.get('admin') })))
  app.get('/reports/table', async (c) => {
    const props = await reportsProps(c)
    c.header('HX-Replace-Url', `/admin/reports${qs({ outcome: props.outcome, page: props.reports.page > 1 ? props.reports.page : undefined })}`)
    return c.html(ReportsTable(props))
  })

  app.get('/settings', async (c) => {
    const stats = await storeStats(core)
    const facts = [
      { label: 'Pigeonhole', value: VERSION },
      { label: 'Data directory', value: core.config.dataDir },
      { label: 'Store on disk', value: bytes(stats.diskBytes) },
      { label: 'Uptime', value: duration((now() - core.startedAt) / 1000) },
      { label: 'Node.js', value: process.version },
      { label: 'htmx', value: HTMX_VERSION },
    ]
    return c.html(SettingsPage({ settings: describeConfig(core.config), facts, session: c.get('admin') }))
  })

  return app
}

function usersQuery(c: AdminContext): UsersQuery {
  const sort = c.req.query('sort') as UserSort
  return {
    q: (c.req.query('q') ?? '').slice(0, 64),
    sort: USER_SORTS.includes(sort) ? sort : 'id',
    desc: c.req.query('dir') === 'desc',
    page: intParam(c.req.query('page'), 1),
  }
}

function unknownUser(c: AdminContext, id: string) {
  return c.html(ErrorPage({ title: 'No such user', text: `There is no user "${id.slice(0, 64)}".`, session: c.get('admin'), back: '/admin/users' }), 404)
}
