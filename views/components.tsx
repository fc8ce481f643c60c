import type { Child } from 'hono/jsx'
import type { Page } from '../src/core/admin-queries.js'
import { count } from './format.js'

/** a usage bar: green, amber from 70 %, red from 90 % (the browser colours <meter> by low/high/optimum) */
export function Usage(props: { value: number; max: number; label: string; title?: string }) {
  const max = Math.max(props.max, 1)
  return (
    <div class="usage" title={props.title}>
      <meter min={0} max={max} low={max * 0.7} high={max * 0.9} optimum={0} value={Math.min(props.value, max)}>
        {props.label}
      </meter>
      <span class="usage-label">{props.label}</span>
    </div>
  )
}

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />
}

export function Empty(props: { children: Child }) {
  return <p class="empty">{props.children}</p>
}

export function Pager<T>(props: { page: Page<T>; href: (page: number) => string; noun: string }) {
  const { page, pages, total } = props.page
  if (pages <= 1) return <p class="pager-note">{count(total, props.noun)}</p>
  return (
    <nav class="pager" aria-label="pages">
      {page > 1 ? <a href={props.href(page - 1)} rel="prev">← Previous</a> : <span />}
      <span>page {page} of {pages} · {count(total, props.noun)}</span>
      {page < pages ? <a href={props.href(page + 1)} rel="next">Next →</a> : <span />}
    </nav>
  )
}

export function Badge(props: { kind: 'ok' | 'warn' | 'bad' | 'muted' | 'info'; children: Child; title?: string }) {
  return <span class={`badge ${props.kind}`} title={props.title}>{props.children}</span>
}

const OUTCOME: Record<number, { kind: 'ok' | 'warn' | 'bad' | 'muted'; label: string }> = {
  200: { kind: 'ok', label: 'delivered' },
  410: { kind: 'bad', label: 'space full' },
  532: { kind: 'warn', label: 'blocked' },
  538: { kind: 'bad', label: 'rejected' },
  542: { kind: 'muted', label: 'expired' },
}

export function Outcome(props: { code: number; text?: string }) {
  const o = OUTCOME[props.code] ?? { kind: 'muted' as const, label: String(props.code) }
  return <Badge kind={o.kind} title={props.text}>{props.code} {o.label}</Badge>
}

export const OUTCOME_FILTERS = Object.entries(OUTCOME).map(([code, o]) => ({ code: Number(code), label: o.label }))
