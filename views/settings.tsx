import type { AdminSession } from '../src/core/admin-sessions.js'
import { Layout } from './layout.js'

export interface SettingsProps {
  settings: Array<{ env: string; flag: string; value: string }>
  facts: Array<{ label: string; value: string }>
}

export function SettingsPage(props: SettingsProps & { session: AdminSession }) {
  return (
    <Layout title="Settings" nav="settings" session={props.session}>
      <h1>Settings</h1>
      <section class="card">
        <h2>Effective configuration</h2>
        <p class="hint">Set by environment variables or the same names as flags; flags win. Restart to change. Secrets are masked.</p>
        <div class="table-wrap">
          <table class="settings stack">
            <thead><tr><th>Variable</th><th>Flag</th><th>Value</th></tr></thead>
            <tbody>
              {props.settings.map((s) => (
                <tr><td class="full" data-label="Variable"><code>{s.env}</code></td><td data-label="Flag"><code>{s.flag}</code></td><td data-label="Value">{s.value}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card">
        <h2>Server</h2>
        <dl class="facts">
          {props.facts.map((f) => (
            <>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </>
          ))}
        </dl>
      </section>
    </Layout>
  )
}
