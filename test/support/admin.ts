/** A dashboard client over plain HTTP (fetch): logs in, keeps the cookie, reads the CSRF token from pages. */
export class AdminHttp {
  cookie: string | undefined
  csrf: string | undefined
  constructor(readonly base: string) {}

  async login(password: string): Promise<Response> {
    const res = await this.post('/admin/login', { password })
    const set = res.headers.get('set-cookie')
    if (set) this.cookie = set.split(';')[0]
    if (res.status === 303) await this.page('/admin')
    return res
  }

  /** GETs a page and remembers its CSRF token */
  async page(path: string): Promise<{ status: number; html: string; res: Response }> {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: this.cookie ? { cookie: this.cookie } : {} })
    const html = await res.text()
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf
    return { status: res.status, html, res }
  }

  /** a form POST as a browser on this origin sends it; `headers` can take the Origin away or change it */
  post(path: string, form: Record<string, string>, headers: Record<string, string> = { origin: this.base }): Promise<Response> {
    return fetch(this.base + path, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: new URLSearchParams(form).toString(),
    })
  }

  /** a POST with the session's CSRF token */
  action(path: string, form: Record<string, string> = {}): Promise<Response> {
    return this.post(path, { _csrf: this.csrf ?? '', ...form })
  }
}
