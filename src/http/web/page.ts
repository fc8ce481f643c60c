/**
 * The chat page's one HTML document: a static shell the script fills in (so nothing a user wrote is ever part of
 * the HTML). The only server-side value is whether registration is open, which shows the "Create account" button.
 */
export function chatPage(opts: { registrationOpen: boolean; script: string; stylesheet: string }): string {
  return `<!doctype html>
<html lang="en" data-state="loading">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="pigeonhole-registration" content="${opts.registrationOpen ? 'open' : 'closed'}">
<title>Pigeonhole</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${opts.stylesheet}">
<script src="${opts.script}" defer></script>
</head>
<body>
<p id="loading" class="loading">Loading…</p>
<main id="login-screen" class="login" hidden>
  <form id="login-form" class="card" aria-labelledby="login-title">
    <h1 id="login-title">Pigeonhole</h1>
    <p class="hint">Log in to chat. Messages to people who are away wait for them on the server.</p>
    <label for="login-user">User id</label>
    <input id="login-user" name="userId" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64">
    <label for="login-password">Password</label>
    <input id="login-password" name="password" type="password" autocomplete="current-password" required>
    <p id="login-error" class="error" role="alert"></p>
    <button type="submit">Log in</button>
    <button type="button" id="register-button" class="quiet" hidden>Create account</button>
  </form>
</main>
<div id="chat-screen" class="app" data-view="list" hidden>
  <header class="bar">
    <span class="brand">Pigeonhole</span>
    <span id="unread-badge" class="badge" hidden></span>
    <span id="connection" class="connection" role="status"></span>
    <form id="me-form" class="me" aria-label="Your presence">
      <span id="me-name" class="me-name"></span>
      <select id="me-availability" aria-label="Your availability">
        <option value="AVAILABLE">Online</option><option value="DISCREET">Busy</option><option value="NOT_AVAILABLE">Away</option>
      </select>
      <input id="me-status" aria-label="Your status text" maxlength="40" placeholder="Status text">
      <button type="submit" class="quiet">Set</button>
    </form>
    <button type="button" id="logout-button" class="quiet">Log out</button>
  </header>
  <div class="panes">
    <nav class="side" aria-labelledby="contacts-title">
      <h2 id="contacts-title">Contacts</h2>
      <ul id="contact-list" class="contacts" role="list" aria-labelledby="contacts-title"></ul>
      <p id="contacts-empty" class="empty">No contacts yet: add someone by their user id.</p>
      <form id="add-form" class="add" aria-labelledby="add-title">
        <h3 id="add-title">Add a contact</h3>
        <label for="add-user">Contact's user id</label>
        <input id="add-user" required maxlength="320" autocapitalize="none" spellcheck="false" placeholder="bob, or bob@other.org">
        <label for="add-nick">Nickname</label>
        <input id="add-nick" maxlength="64">
        <p id="add-error" class="error" role="alert"></p>
        <button type="submit">Add</button>
      </form>
      <details id="password-box" class="add">
        <summary>Change your password</summary>
        <form id="password-form">
          <label for="password-current">Current password</label>
          <input id="password-current" type="password" required autocomplete="current-password">
          <label for="password-new">New password (8 characters or more)</label>
          <input id="password-new" type="password" required minlength="8" autocomplete="new-password">
          <p id="password-error" class="error" role="alert"></p>
          <button type="submit">Change password</button>
        </form>
      </details>
      <section id="blocked-section" class="blocked" aria-labelledby="blocked-title" hidden>
        <h3 id="blocked-title">Blocked</h3>
        <ul id="blocked-list" role="list"></ul>
      </section>
    </nav>
    <section id="conversation" class="conv" aria-labelledby="conv-title" hidden>
      <header class="conv-head">
        <button type="button" id="back-button" class="back quiet" aria-label="Back to contacts">‹</button>
        <div class="conv-who"><h2 id="conv-title"></h2><p id="conv-presence" class="presence"></p></div>
        <button type="button" id="block-button" class="quiet small">Block</button>
        <button type="button" id="contact-button" class="quiet small">Remove contact</button>
      </header>
      <p id="blocked-note" class="note" hidden>You block this user: their messages are refused. Unblock to hear from them again.</p>
      <ol id="message-log" class="log" role="log" aria-live="polite" aria-label="Messages" tabindex="0"></ol>
      <form id="compose" class="compose">
        <label for="compose-text" class="sr-only">Message</label>
        <textarea id="compose-text" rows="1" placeholder="Write a message" aria-describedby="compose-hint"></textarea>
        <button type="submit">Send</button>
      </form>
      <p id="compose-hint" class="compose-hint">Enter sends; Shift+Enter starts a new line.</p>
    </section>
    <section id="no-conversation" class="conv placeholder" aria-label="No conversation open">
      <p>Pick a contact to chat. A message to someone who is away waits for them on the server.</p>
    </section>
  </div>
  <p id="toast" class="toast" role="status"></p>
</div>
</body>
</html>
`
}
