/** The chat page's one stylesheet, served as /chat/chat.css (the page's policy allows no inline styles). */
export const CHAT_CSS = `
:root { --bg: #f5f6f8; --card: #fff; --ink: #1d2330; --muted: #5f6b7d; --line: #e3e6eb; --accent: #2f6fde;
  --out: #dce8fb; --in: #fff; --ok: #1f8a4c; --warn: #9a6212; --bad: #b3261e; color-scheme: light; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
h1, h2, h3 { margin: 0; }
h2 { font-size: 1.05rem; }
h3 { font-size: .9rem; color: var(--muted); }
input, select, textarea, button { font: inherit; }
input, select, textarea { padding: .45rem .55rem; border: 1px solid #b9c0cb; border-radius: 7px; background: #fff; color: var(--ink); min-width: 0; }
button { padding: .45rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 7px; cursor: pointer; white-space: nowrap; }
button.quiet { background: #fff; color: var(--accent); border-color: #c9d6ee; }
button.small { padding: .2rem .6rem; font-size: .85rem; }
:focus-visible { outline: 3px solid #f0a020; outline-offset: 1px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.loading { padding: 2rem; color: var(--muted); }
.error { color: var(--bad); margin: 0; min-height: 0; overflow-wrap: anywhere; }
.error:empty { display: none; }
.hint, .empty { color: var(--muted); font-size: .9rem; margin: 0; }
.login { max-width: 380px; margin: 0 auto; padding: 12vh 1rem 2rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.2rem; display: flex; flex-direction: column; gap: .55rem; }
.card label { font-weight: 600; font-size: .9rem; margin-top: .3rem; }
.app { display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
.bar { display: flex; align-items: center; gap: .5rem 1rem; flex-wrap: wrap; padding: .5rem 1rem; background: #1d2330; color: #fff; }
.brand { font-weight: 700; letter-spacing: .02em; }
.badge { background: #d93b30; color: #fff; border-radius: 999px; padding: 0 .5rem; font-size: .8rem; font-weight: 700; }
.connection { color: #f5c46b; font-size: .85rem; }
.me { display: flex; align-items: center; gap: .4rem; margin-left: auto; flex-wrap: wrap; min-width: 0; }
.me-name { font-weight: 600; }
.me input { width: 11rem; }
.panes { flex: 1; display: grid; grid-template-columns: minmax(240px, 320px) 1fr; min-height: 0; }
.side { overflow-y: auto; border-right: 1px solid var(--line); background: var(--card); padding: .8rem; display: flex; flex-direction: column; gap: .6rem; }
.contacts, .blocked ul { list-style: none; margin: 0; padding: 0; }
.contact { display: flex; align-items: center; gap: .6rem; width: 100%; text-align: left; background: none; color: inherit; border: 1px solid transparent; padding: .5rem; white-space: normal; }
.contact:hover { background: #f0f3f8; }
.contact[aria-current="true"] { background: #e4edfb; border-color: #c9d6ee; }
.who { display: flex; flex-direction: column; min-width: 0; flex: 1; }
.name { font-weight: 600; overflow-wrap: anywhere; unicode-bidi: isolate; }
.uid { color: var(--muted); font-size: .8rem; }
.uid:empty { display: none; }
.presence { color: var(--muted); font-size: .85rem; margin: 0; overflow-wrap: anywhere; unicode-bidi: isolate; }
.count { background: #d93b30; color: #fff; border-radius: 999px; min-width: 1.5rem; text-align: center; font-size: .8rem; font-weight: 700; padding: 0 .4rem; }
.dot { width: .7rem; height: .7rem; border-radius: 50%; flex: none; background: #b9c0cb; }
.dot.online { background: #2aa35a; } .dot.busy { background: #d93b30; } .dot.away { background: #e0a030; } .dot.blocked { background: #1d2330; }
.add { display: flex; flex-direction: column; gap: .3rem; border-top: 1px solid var(--line); padding-top: .6rem; }
.add label { font-size: .85rem; }
.add button { align-self: flex-start; }
.blocked li { display: flex; align-items: center; justify-content: space-between; gap: .5rem; padding: .2rem 0; }
.conv { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
.placeholder { align-items: center; justify-content: center; color: var(--muted); padding: 2rem; text-align: center; }
.conv-head { display: flex; align-items: center; gap: .5rem; padding: .6rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
.conv-who { flex: 1; min-width: 0; }
.conv-who h2 { display: flex; gap: .4rem; align-items: baseline; flex-wrap: wrap; overflow-wrap: anywhere; }
.back { display: none; font-size: 1.3rem; line-height: 1; padding: .2rem .6rem; }
.note { margin: 0; padding: .5rem 1rem; background: #fbe6e4; color: #8c2219; font-size: .9rem; }
.log { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 1rem; display: flex; flex-direction: column; gap: .5rem; }
.msg { max-width: min(34rem, 85%); padding: .45rem .7rem; border-radius: 12px; background: var(--in); border: 1px solid var(--line); align-self: flex-start; }
.msg.out { align-self: flex-end; background: var(--out); border-color: #c9d6ee; }
.msg.waited { border-left: 4px solid var(--warn); }
.body { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: isolate; }
.meta { margin: .15rem 0 0; font-size: .78rem; color: var(--muted); }
.state.offline, .state.waited { color: var(--warn); font-weight: 600; }
.state.delivered { color: var(--ok); font-weight: 600; }
.state.rejected, .state.expired, .state.full, .state.blocked, .state.unknown, .state.queue, .state.failed, .state.lost { color: var(--bad); font-weight: 600; }
.compose { display: flex; gap: .5rem; padding: .6rem 1rem; border-top: 1px solid var(--line); background: var(--card); align-items: flex-end; }
.compose textarea { flex: 1; resize: none; }
.compose-hint { margin: 0; padding: 0 1rem .4rem; font-size: .75rem; color: var(--muted); background: var(--card); }
.toast { position: fixed; left: 50%; bottom: 5rem; transform: translateX(-50%); margin: 0; max-width: calc(100% - 2rem); background: #1d2330; color: #fff; padding: .5rem .9rem; border-radius: 8px; overflow-wrap: anywhere; }
.toast:empty { display: none; }
@media (max-width: 700px) {
  .bar { padding: .45rem .6rem; gap: .4rem .6rem; }
  .me { margin-left: 0; flex-basis: 100%; order: 3; }
  #logout-button { margin-left: auto; padding: .25rem .7rem; }
  .compose-hint { display: none; }
  .me input { flex: 1; width: auto; }
  .panes { grid-template-columns: 1fr; }
  .side { border-right: 0; }
  .app[data-view="list"] .conv { display: none; }
  .app[data-view="chat"] .side { display: none; }
  .back { display: inline-block; }
  .conv-head, .compose { padding: .5rem .6rem; }
  .log { padding: .6rem; }
  .msg { max-width: 90%; }
}
`
