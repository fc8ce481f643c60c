import { ImpsError } from '../../../core/codes.js'
import { endSession, keepAlive, login as coreLogin, setCapabilities } from '../../../core/login.js'
import type { DeliveryMethod } from '../../../core/types.js'
import type { Ctx } from '../context.js'
import { fromError, ok, resultEl, type WvResult, wvResult } from '../results.js'
import { child, children, e, type El, textAt } from '../xml/tree.js'

const MULTI_TRANS_MAX = 20
/** how often a client without CIR should poll, unless it asks for longer */
const SERVER_POLL_MIN = 30
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/

/** a whole number from a child's text, if it is one */
export function intAt(p: El | undefined, name: string, max = 2 ** 31): number | undefined {
  const t = textAt(p, name)
  return t !== undefined && /^\d{1,10}$/.test(t) && Number(t) <= max ? Number(t) : undefined
}

/** `ClientID(URL | MSISDN)`, rebuilt to be echoed */
function clientIdOf(p: El): { id?: string; el?: El } {
  const c = child(p, 'ClientID')
  const part = c?.children.find((x) => x.name === 'URL' || x.name === 'MSISDN')
  if (!part) return {}
  const id = part.text.trim().slice(0, 128)
  return { id: id || undefined, el: e('ClientID', [e(part.name, id)]) }
}

/**
 * Login-Request with a plain Password: the same session as the JSON door's login, with a PollQueue. A
 * time-to-live out of bounds is clamped and stated in KeepAliveTime. No SessionID on failure (409 for a wrong
 * password or an unknown user alike). Digest logins are not offered: only scrypt hashes are stored.
 */
export async function login(ctx: Omit<Ctx, 'wv'>, p: El): Promise<El> {
  const client = clientIdOf(p)
  const refuse = (r: WvResult) => e('Login-Response', [client.el, resultEl(r)])
  const password = textAt(p, 'Password')
  if (!password) return refuse(wvResult(402, 'Bad parameter: only a plain Password login is offered (no digest)'))
  const userId = ctx.ids.user(textAt(p, 'UserID') ?? '')
  if (!userId || password.length > 1024) return refuse(wvResult(409, 'Invalid password: the user id or the password is wrong'))
  try {
    const { session } = await coreLogin(ctx.core, { userId, password, clientId: client.id, timeToLive: intAt(p, 'TimeToLive'), door: 'wv-csp' }, ctx.address())
    await ctx.sessions.open(session, textAt(p, 'SessionCookie')?.slice(0, 256), ctx.version)
    return e('Login-Response', [
      client.el, resultEl(ok), e('SessionID', session.token), e('KeepAliveTime', session.ttlSeconds), e('CapabilityRequest', true),
    ])
  } catch (err) {
    if (err instanceof ImpsError) return refuse(fromError(err, (u) => ctx.ids.writeUser(u)))
    throw err
  }
}

const METHODS: Record<string, DeliveryMethod> = { P: 'push', N: 'notify' }

/** ClientCapability-Request: negotiated in the core; answered in the version's shape (1.1 CapabilityList, else AgreedCapabilityList) */
export async function clientCapability(ctx: Ctx, p: El): Promise<El> {
  const list = child(p, 'CapabilityList')
  const { wv, core } = ctx
  const types = children(list, 'AcceptedContentType').map((t) => t.text.split(';')[0].trim().toLowerCase()).filter((t) => MIME.test(t))
  const before = wv.session.capabilities.deliveryMethod
  setCapabilities(core, wv.session, {
    deliveryMethod: METHODS[textAt(list, 'InitialDeliveryMethod')?.toUpperCase() ?? ''],
    acceptedContentTypes: types.length ? types.slice(0, 32) : undefined,
    acceptedContentLength: intAt(list, 'AcceptedContentLength') || undefined,
  })
  wv.multiTrans = Math.min(MULTI_TRANS_MAX, Math.max(1, intAt(list, 'MultiTrans') ?? 1))
  if (wv.session.capabilities.deliveryMethod !== before) await ctx.sessions.reattach(wv)
  const caps = wv.session.capabilities
  const parserSize = intAt(list, 'ParserSize')
  // STCP is agreed only if the client listed it and the listener is up (S60 starts it only if both sides list it)
  const cir = ctx.sessions.cir
  const stcp = cir && children(list, 'SupportedCIRMethod').some((m) => m.text.trim().toUpperCase() === 'STCP')
  const agreed = [
    e('InitialDeliveryMethod', caps.deliveryMethod === 'notify' ? 'N' : 'P'),
    caps.acceptedContentTypes.map((t) => e('AcceptedContentType', t)),
    e('AcceptedContentLength', caps.acceptedContentLength),
    e('SupportedBearer', 'HTTP'),
    stcp && [e('SupportedCIRMethod', 'STCP'), tcpAddress(ctx) !== undefined && e('TCPAddress', tcpAddress(ctx)), e('TCPPort', cir.port)],
    e('MultiTrans', wv.multiTrans),
    parserSize !== undefined && e('ParserSize', parserSize),
    e('ServerPollMin', Math.max(SERVER_POLL_MIN, intAt(list, 'ServerPollMin') ?? 0)),
  ]
  if (ctx.version === '1.1') return e('ClientCapability-Response', [clientIdOf(p).el, e('CapabilityList', agreed)])
  return e('ClientCapability-Response', [e('AgreedCapabilityList', agreed)])
}

/** the configured CIR address, else (a wildcard listener) the host the phone reached this server by */
function tcpAddress(ctx: Ctx): string | undefined {
  return ctx.sessions.cir?.address ?? ctx.host()
}

/** Service-Request: AllFunctions lists what is served; nothing is put in Functions (S60 reads it as denied) */
export function service(_ctx: Ctx, p: El): El {
  return e('Service-Response', [
    clientIdOf(p).el,
    e('AllFunctions', [
      e('WVCSPFeat', [
        e('FundamentalFeat', [e('SearchFunc', [e('SRCH'), e('STSRC')])]),
        e('PresenceFeat', [
          e('ContListFunc', [e('GCLI'), e('CCLI'), e('DCLI'), e('MCLS')]),
          e('PresenceDeliverFunc', [e('GETPR'), e('UPDPR')]),
        ]),
        e('IMFeat', [
          e('IMSendFunc', [e('MDELIV')]),
          e('IMReceiveFunc', [e('SETD'), e('GETLM'), e('GETM'), e('REJCM'), e('NOTIF'), e('NEWM')]),
          // GLBLU (get the list of blocked users): every token table has it (0x021C); none has a GETBL
          e('IMAuthFunc', [e('GLBLU'), e('BLENT')]),
        ]),
      ]),
    ]),
  ])
}

/** KeepAlive-Request(TimeToLive?): the session lives on; KeepAliveTime states the time-to-live in force */
export function keepAliveRequest(ctx: Ctx, p: El): El {
  const ttl = intAt(p, 'TimeToLive')
  keepAlive(ctx.core, ctx.wv.session, ttl) // a value out of bounds is clamped; the answer says which is used
  return e('KeepAlive-Response', [resultEl(ok), e('KeepAliveTime', ctx.wv.session.ttlSeconds)])
}

/** Logout-Request → Disconnect 200; the SessionID answers 604 afterwards */
export function logout(ctx: Ctx): El {
  ctx.sessions.forget(ctx.wv)
  endSession(ctx.core, ctx.wv.session)
  ctx.ended = true
  return e('Disconnect', [resultEl(ok)])
}
