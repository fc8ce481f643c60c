import { type Version, NAMESPACES, versionOf } from './version.js'
import { child, children, e, type El, textAt } from './xml/tree.js'

/** one transaction of a request: its mode, its id (echoed exactly), and the primitive it carries */
export interface InTransaction {
  mode: 'Request' | 'Response'
  tid: string
  primitive: El | undefined
}

export interface SessionDescriptor {
  type: 'Inband' | 'Outband'
  id?: string
}

export interface InMessage {
  version: Version
  session: SessionDescriptor
  transactions: InTransaction[]
}

export interface OutTransaction {
  mode: 'Request' | 'Response'
  tid: string
  primitive: El
}

/** a document that parsed but is no WV-CSP message; `partial` holds what could be read, to address the answer */
export class EnvelopeRefused extends Error {
  constructor(message: string, readonly partial: Partial<InMessage> = {}) {
    super(message)
  }
}

/** reads `WV-CSP-Message(Session(SessionDescriptor, Transaction+, Poll?))`; unknown elements are ignored */
export function readEnvelope(root: El): InMessage {
  const version = versionOf(root.ns)
  if (root.name !== 'WV-CSP-Message') throw new EnvelopeRefused(`the root element is <${root.name}>, not <WV-CSP-Message>`, { version })
  if (!version) throw new EnvelopeRefused(`the namespace "${root.ns.slice(0, 100)}" names no WV-CSP version this server speaks (1.1, 1.2, 1.3)`)
  const sessionEl = child(root, 'Session')
  if (!sessionEl) throw new EnvelopeRefused('the message has no <Session>', { version })
  const session = readDescriptor(child(sessionEl, 'SessionDescriptor'))
  const transactions = children(sessionEl, 'Transaction').map((t) => ({
    mode: textAt(t, 'TransactionDescriptor', 'TransactionMode') === 'Response' ? 'Response' as const : 'Request' as const,
    tid: textAt(t, 'TransactionDescriptor', 'TransactionID') ?? '',
    primitive: child(t, 'TransactionContent')?.children[0],
  }))
  if (!transactions.length) throw new EnvelopeRefused('the session holds no <Transaction>', { version, session })
  return { version, session, transactions }
}

function readDescriptor(d: El | undefined): SessionDescriptor {
  const id = textAt(d, 'SessionID')
  return { type: textAt(d, 'SessionType') === 'Outband' ? 'Outband' : 'Inband', ...(id ? { id } : {}) }
}

/**
 * Writes an answer. The Poll flag (T while more waits for the client) sits in each TransactionDescriptor in
 * 1.1 and after the transactions from 1.2 on (S60 ImpsCspDtd.h).
 */
export function writeEnvelope(version: Version, session: SessionDescriptor, txs: OutTransaction[], poll: boolean): El {
  const ns = NAMESPACES[version]
  const old = version === '1.1'
  return e('WV-CSP-Message', [
    e('Session', [
      e('SessionDescriptor', [e('SessionType', session.type), session.id !== undefined && e('SessionID', session.id)]),
      txs.map((t) =>
        e('Transaction', [
          e('TransactionDescriptor', [e('TransactionMode', t.mode), e('TransactionID', t.tid), old && e('Poll', poll)]),
          e('TransactionContent', [t.primitive], ns.trc),
        ]),
      ),
      !old && e('Poll', poll),
    ]),
  ], ns.csp)
}
