/** The dashboard's one stylesheet, served as /admin/assets/admin.css (the CSP allows no inline styles). */
export const ADMIN_CSS = `
:root {
  --bg: #f5f6f8; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #e3e6eb; --accent: #2f6fde;
  --ok: #1f8a4c; --warn: #b7791f; --bad: #c0392b; --info: #2f6fde; --radius: 10px;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 13px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
h1 small, h2 small { color: var(--muted); font-weight: 500; font-size: .8em; }
h2 { font-size: 1.05rem; margin: 0 0 .6rem; }
.top { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem; background: #1d2330; color: #fff; flex-wrap: wrap; }
.top a { color: #cfd6e4; }
.top .brand { color: #fff; font-weight: 700; letter-spacing: .02em; }
.top nav { display: flex; gap: .2rem; flex-wrap: wrap; flex: 1; }
.top nav a { padding: .3rem .6rem; border-radius: 6px; }
.top nav a.active { background: #39425a; color: #fff; }
.top .logout button { color: #cfd6e4; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; margin-bottom: 1rem; min-width: 0; }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: .5rem; flex-wrap: wrap; margin-bottom: .4rem; }
.card-head h2 { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: .75rem; margin-bottom: 1rem; }
.cards.three { grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); }
.stat { display: flex; flex-direction: column; gap: .2rem; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .8rem 1rem; color: inherit; min-width: 0; }
a.stat:hover { border-color: var(--accent); text-decoration: none; }
.stat-label { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
.stat-value { font-size: 1.35rem; font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.stat-note { color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 0 1rem; align-items: start; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); white-space: nowrap; }
th a { color: inherit; }
tbody tr:last-child td { border-bottom: 0; }
td.wide { min-width: 190px; }
td.body { max-width: 320px; overflow-wrap: anywhere; }
td time, td.nowrap { white-space: nowrap; }
tr.near-full { background: #fff6f5; }
table.compact td { padding: .3rem .4rem; }
.usage { display: flex; align-items: center; gap: .5rem; min-width: 0; }
.usage meter { width: 7rem; height: .75rem; flex: none; }
meter { -webkit-appearance: none; appearance: none; background: #e9ecf1; border-radius: 999px; overflow: hidden; }
meter::-webkit-meter-bar { background: #e9ecf1; border: 0; border-radius: 999px; height: .75rem; }
meter::-webkit-meter-optimum-value { background: #3aa76d; border-radius: 999px; }
meter::-webkit-meter-suboptimum-value { background: #e0a030; border-radius: 999px; }
meter::-webkit-meter-even-less-good-value { background: #d2483a; border-radius: 999px; }
.stat .usage { flex-direction: column; align-items: stretch; gap: .15rem; margin-top: .2rem; }
.stat .usage meter { width: 100%; }
.usage-label { font-size: .85rem; color: var(--muted); white-space: nowrap; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .75rem; font-weight: 600; white-space: nowrap; vertical-align: middle; }
.badge.ok { background: #e3f4ea; color: var(--ok); }
.badge.warn { background: #fdf1dc; color: var(--warn); }
.badge.bad { background: #fbe6e4; color: var(--bad); }
.badge.info { background: #e4edfb; color: var(--info); }
.badge.muted { background: #eef0f3; color: var(--muted); }
.muted, .hint { color: var(--muted); }
.hint { font-size: .85rem; margin: 0 0 .6rem; }
.bad { color: var(--bad); }
.empty { color: var(--muted); font-style: italic; margin: .4rem 0; }
.flash { padding: .6rem .8rem; border-radius: 8px; margin-bottom: 1rem; overflow-wrap: anywhere; }
.flash.ok { background: #e3f4ea; color: #125c32; border: 1px solid #bfe3cd; }
.flash.error { background: #fbe6e4; color: #8c2219; border: 1px solid #f1c2bd; }
.toolbar { display: flex; gap: .75rem; align-items: flex-start; flex-wrap: wrap; margin-bottom: 1rem; }
.toolbar label.row { margin: 0; }
form.toolbar { align-items: center; }
.search { display: flex; gap: .4rem; flex: 1; min-width: 220px; }
.search input { flex: 1; }
input, select, button { font: inherit; }
input, select { padding: .4rem .55rem; border: 1px solid #c9ced6; border-radius: 7px; background: #fff; min-width: 0; }
input:focus, select:focus { outline: 2px solid #a9c5f5; border-color: var(--accent); }
button { padding: .4rem .8rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 7px; cursor: pointer; white-space: nowrap; }
button:hover { filter: brightness(1.08); }
button.small { padding: .15rem .55rem; font-size: .85rem; }
button.danger { background: #fff; color: var(--bad); border-color: #e6b3ad; }
button.danger:hover { background: #fbe6e4; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); }
form.inline { display: inline-flex; gap: .4rem; align-items: center; margin: 0; }
form.row, label.row { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: .4rem 0; }
form.stack { display: flex; flex-direction: column; gap: .6rem; }
form.stack label { display: flex; flex-direction: column; gap: .2rem; font-size: .9rem; }
.grow { flex: 1; }
label.check { display: inline-flex; align-items: center; gap: .3rem; font-size: .85rem; color: var(--muted); }
details.create { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .45rem .8rem; }
details.create summary { cursor: pointer; color: var(--accent); }
details.create[open] { padding-bottom: .8rem; }
details.create form { margin-top: .6rem; min-width: 240px; }
.chips { list-style: none; padding: 0; margin: 0 0 .5rem; display: flex; flex-wrap: wrap; gap: .35rem; }
.chips li { display: inline-flex; align-items: center; gap: .2rem; background: #eef0f3; border-radius: 999px; padding: .1rem .2rem .1rem .65rem; }
.chip-x { background: none; border: 0; color: var(--muted); padding: 0 .35rem; font-size: 1.05rem; line-height: 1; }
.chip-x:hover { color: var(--bad); }
.activity { list-style: none; margin: 0; padding: 0; max-height: 22rem; overflow-y: auto; }
.activity li { padding: .3rem 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
.activity li:last-child { border-bottom: 0; }
.activity time { color: var(--muted); font-size: .85rem; display: inline-block; min-width: 6.5rem; }
.pager { display: flex; justify-content: space-between; align-items: center; gap: .5rem; margin-top: .6rem; font-size: .9rem; color: var(--muted); }
.pager-note { font-size: .85rem; color: var(--muted); margin: .5rem 0 0; }
.crumbs { margin: 0 0 .2rem; font-size: .9rem; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
body.bare main { max-width: 380px; padding-top: 12vh; }
.login { display: flex; flex-direction: column; gap: .8rem; }
.login label { display: flex; flex-direction: column; gap: .3rem; }
.login h1 { margin: 0; }
@media (max-width: 600px) {
  main { padding: .6rem; }
  .top { gap: .4rem .8rem; padding: .5rem .6rem; }
  .top nav { order: 3; flex-basis: 100%; }
  .cards { grid-template-columns: 1fr 1fr; gap: .5rem; }
  .stat-value { font-size: 1.3rem; }
  .grid2 { grid-template-columns: 1fr; }
  td.wide { min-width: 160px; }
  .usage meter { width: 4.5rem; }
  table.stack thead { display: none; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; }
  table.stack tr { display: grid; grid-template-columns: 1fr 1fr; gap: .1rem .6rem; padding: .6rem 0; border-bottom: 1px solid var(--line); }
  table.stack td { border: 0; padding: .1rem 0; overflow-wrap: anywhere; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; font-size: .7rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  table.stack td.full { grid-column: 1 / -1; }
  table.queue thead { display: none; }
  table.queue, table.queue tbody, table.queue tr, table.queue td { display: block; }
  table.queue tr { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: .1rem .6rem; padding: .6rem 0; border-bottom: 1px solid var(--line); }
  table.queue td { border: 0; padding: .1rem 0; }
  table.queue td[data-label]::before { content: attr(data-label); display: block; font-size: .7rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  table.queue td.body { grid-column: 1 / -1; max-width: none; }
  table.queue td.actions { grid-column: 1 / -1; text-align: right; }
}
.contact-list h3 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
.contact-list h3 small { color: var(--muted, #666); font-weight: normal; }
ul.contacts { margin: 0; padding-left: 1.2rem; }
ul.contacts li { margin: 0.1rem 0; overflow-wrap: anywhere; }
.status-text { overflow-wrap: anywhere; }
`
