import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pg from 'pg'
import { AdminHttp } from '../support/admin.js'
import { Client } from '../support/client.js'
import { eventually } from '../support/eventually.js'
import { postgresSkipReason, useTestCluster } from '../support/postgres.js'
import { exited, type ServerProcess } from '../support/process.js'
import { useTwoNodes } from '../support/nodes.js'
import { runCli } from '../support/cli.js'

const cluster = useTestCluster()
const ADMIN_PASSWORD = 'dashboard-password'

describe('two nodes as two processes on one PostgreSQL: alice on node 1, bob on node 2', { skip: postgresSkipReason() }, () => {
  const nodes = useTwoNodes(cluster, { PIGEONHOLE_PRESENCE: 'all', PIGEONHOLE_ADMIN_PASSWORD: ADMIN_PASSWORD })
  /** a client of the node, with an account made on node 1 (any node would do) */
  const user = async (node: ServerProcess, name: string) => {
    const c = new Client(node.url, name)
    assert.equal((await new Client(nodes.node1.url, name).post('/users', { userId: name, password: c.password })).status, 200)
    return c
  }
  /** a sender logged in on node 1 and a recipient streaming on node 2, once node 1 knows the recipient is online */
  const senderAndStreamingRecipient = async (from: string, to: string) => {
    const sender = await user(nodes.node1, from)
    const recipient = await user(nodes.node2, to)
    await sender.login()
    await recipient.loginWith('push')
    const stream = await recipient.openStream()
    await eventually(`node 1 knows ${to} is online`, async () => (await sender.get(`/presence/${to}`)).body.online === true)
    return { sender, recipient, stream }
  }
  /** someone on node 1 with a stream open, watching the presence of someone made to log in on node 2 */
  const watcherOfNode2 = async (watcher: string, watched: string) => {
    const onNode1 = await user(nodes.node1, watcher)
    const onNode2 = await user(nodes.node2, watched)
    await onNode1.loginWith('push')
    const stream = await onNode1.openStream()
    await onNode1.post('/presence/subscribe', { users: [watched] })
    return { watcher: onNode1, watched: onNode2, stream }
  }
  const database = async <T>(work: (db: pg.Client) => Promise<T>) => {
    const db = new pg.Client({ connectionString: nodes.url })
    await db.connect()
    try {
      return await work(db)
    } finally {
      await db.end()
    }
  }

  it('bob, connected to node 2, gets alice\'s message sent on node 1 live on his stream; alice hears 200, not 202', async () => {
    const { sender: alice, recipient: bob, stream } = await senderAndStreamingRecipient('alice', 'bob')
    const sent = await alice.send('bob', 'lunch?')
    assert.equal(sent.body.result.code, 200, 'bob is online, on the other node')
    assert.equal((await stream.nextOf('message')).data.body, 'lunch?')
    await alice.send('bob', 'at noon')
    assert.equal((await stream.nextOf('message')).data.body, 'at noon', 'the first came once, not twice')
    const admin = new AdminHttp(nodes.node1.url)
    await admin.login(ADMIN_PASSWORD)
    // whether a session is held (an open stream) reaches the other nodes with the next heartbeat
    await eventually('node 1\'s dashboard says which node bob is on', async () => /push, connected on node2/.test((await admin.page('/admin/users/bob')).html))
    bob.closeStreams()
  })

  it('carol writes to dave while he is offline (202 on node 1); dave connects to node 2 and gets it', async () => {
    const carol = await user(nodes.node1, 'carol')
    const dave = await user(nodes.node2, 'dave')
    await carol.login()
    const sent = await carol.send('dave', 'see you tomorrow')
    assert.equal(sent.body.result.details[0].code, 202)
    await dave.loginWith('push')
    const stream = await dave.openStream()
    assert.equal((await stream.nextOf('message')).data.id, sent.body.messageId)
    dave.closeStreams()
  })

  it('erin on node 1 asks for a report; frank confirms on node 2; the report reaches erin live on node 1, and the message is gone on both', async () => {
    const erin = await user(nodes.node1, 'erin')
    const frank = await user(nodes.node2, 'frank')
    await erin.loginWith('push')
    const erinStream = await erin.openStream()
    await frank.loginWith('pull')
    await eventually('node 1 knows frank is online', async () => (await erin.get('/presence/frank')).body.online === true)
    const sent = await erin.send('frank', 'did you get this?', { deliveryReport: true })
    assert.equal(sent.body.result.code, 200)
    assert.equal((await frank.post(`/messages/${sent.body.messageId}/delivered`)).body.result.code, 200)
    const report = await erinStream.nextOf('report')
    assert.deepEqual([report.data.messageId, report.data.result.code], [sent.body.messageId, 200])
    const onNode1 = new Client(nodes.node1.url, 'frank')
    await onNode1.loginWith('pull')
    assert.equal((await onNode1.get('/messages')).body.total, 0)
    erin.closeStreams()
  })

  it('a message confirmed on node 1 is gone on node 2, where the same user is also logged in', async () => {
    const gina = await user(nodes.node1, 'gina')
    const hank2 = await user(nodes.node2, 'hank')
    const hank1 = new Client(nodes.node1.url, 'hank')
    await gina.login()
    await hank2.loginWith('pull', { clientId: 'phone' })
    await hank1.loginWith('pull', { clientId: 'desk' })
    const sent = await gina.send('hank', 'one copy, two doors')
    assert.equal((await hank2.get('/messages')).body.total, 1)
    assert.equal((await hank1.post(`/messages/${sent.body.messageId}/delivered`)).body.result.code, 200)
    assert.equal((await hank2.get('/messages')).body.total, 0)
    assert.equal((await hank2.get(`/messages/${sent.body.messageId}`)).body.result.code, 426)
  })

  it('ivan on node 1 watches judy on node 2: he hears her log in, set a status and log out', async () => {
    const { watcher: ivan, watched: judy, stream } = await watcherOfNode2('ivan', 'judy')
    const state = async () => {
      const p = (await stream.nextOf('presence')).data.presence[0]
      return [p.userId, p.online, p.statusText]
    }
    assert.deepEqual(await state(), ['judy', false, undefined])
    await judy.login()
    assert.deepEqual(await state(), ['judy', true, ''])
    await judy.post('/presence', { availability: 'DISCREET', statusText: 'on the other node' })
    assert.deepEqual(await state(), ['judy', true, 'on the other node'])
    await judy.post('/logout')
    assert.deepEqual(await state(), ['judy', false, undefined])
    assert.notEqual((await ivan.get('/presence/judy')).body.lastSeen, null, 'node 1 knows when she was last seen on node 2')
    ivan.closeStreams()
  })

  it('the backend of node 2\'s LISTEN connection stops answering without closing it: node 2 replaces it, and lou still gets what kim sends', async () => {
    const { sender: kim, stream } = await senderAndStreamingRecipient('kim', 'lou')
    const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = 'pigeonhole-listen node2'`
    const [stopped] = (await database((db) => db.query(listeners))).rows.map((r) => Number(r.pid))
    process.kill(stopped, 'SIGSTOP') // the socket stays open: to node 2 it looks alive, and it would hear nothing more
    try {
      await eventually('node 2 listens on a new connection', async () => {
        const pids = (await database((db) => db.query(listeners))).rows.map((r) => Number(r.pid))
        return pids.some((pid) => pid !== stopped)
      }, 10_000)
      const sent = await kim.send('lou', 'heard again')
      assert.equal((await stream.nextOf('message')).data.id, sent.body.messageId)
    } finally {
      process.kill(stopped, 'SIGCONT')
    }
  })

  it('the LISTEN connection of node 2 is cut by the database: a message sent meanwhile still reaches leo there', async () => {
    const { sender: kate, recipient: leo, stream } = await senderAndStreamingRecipient('kate', 'leo')
    const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = 'pigeonhole-listen node2'`
    const cut = await database((db) => db.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) l`))
    assert.equal(cut.rowCount, 1, 'node 2 had one listening connection')
    const sent = await kate.send('leo', 'sent while node 2 was not listening')
    assert.equal((await stream.nextOf('message')).data.id, sent.body.messageId)
    await eventually('node 2 listens again', async () => (await database((db) => db.query(listeners))).rowCount === 1)
    const again = await kate.send('leo', 'and after')
    assert.equal((await stream.nextOf('message')).data.id, again.body.messageId)
    leo.closeStreams()
  })

  it('the database restarts while sam on node 2 keeps his stream open: afterwards tina\'s message from node 1 reaches him live', async () => {
    const { sender: tina, recipient: sam, stream } = await senderAndStreamingRecipient('tina', 'sam')
    const c = await cluster()
    await c.stop()
    await c.start()
    let sent: Awaited<ReturnType<Client['send']>> | undefined
    await eventually('node 1 takes sends again', async () => {
      sent = await tina.send('sam', 'still there?')
      return sent.status !== 503
    })
    assert.equal((await stream.nextOf('message')).data.id, sent!.body.messageId, 'delivery resumes')
    sam.closeStreams()
  })

  it('no stickiness: olga logs in on node 1 and uses her token on node 2 (stream, list); logging out on node 2 ends it on node 1 too', async () => {
    const olga = await user(nodes.node1, 'olga')
    const pete = await user(nodes.node1, 'pete')
    await olga.loginWith('push')
    await pete.login()
    const onNode2 = new Client(nodes.node2.url, 'olga')
    onNode2.token = olga.token
    assert.equal((await onNode2.get('/messages')).status, 200, 'node 2 takes up the session node 1 started')
    const stream = await onNode2.openStream()
    const sent = await pete.send('olga', 'wherever you are')
    assert.equal((await stream.nextOf('message')).data.id, sent.body.messageId)
    assert.equal((await onNode2.post('/logout')).body.result.code, 200)
    await eventually('node 1 ends the session too', async () => (await olga.get('/messages')).status === 401)
    assert.equal((await new Client(nodes.node2.url, 'x').call('GET', '/messages', undefined, { authorization: 'Bearer not-a-token' })).status, 401)
  })

  it('a token works on node 2 the moment node 1 has answered the login: node 1 answers once the session is recorded', async () => {
    const quinn = await user(nodes.node1, 'quinn')
    await database(async (db) => {
      await db.query('BEGIN')
      await db.query('LOCK TABLE sessions IN EXCLUSIVE MODE') // others may read it, nobody may write it: the record waits
      const login = quinn.login()
      const first = await Promise.race([login.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 500, 'waiting'))])
      assert.equal(first, 'waiting', 'no answer before node 2 could find the session')
      await db.query('COMMIT')
      await login
    })
    const onNode2 = new Client(nodes.node2.url, 'quinn')
    onNode2.token = quinn.token
    assert.equal((await onNode2.get('/messages')).status, 200, 'node 2 finds the session node 1 just started')
  })

  it('bo logs in on node 2 with pull and uses node 1 too; he switches to push on node 2, and node 1 pushes to his stream there', async () => {
    const sal = await user(nodes.node1, 'sal')
    const bo = await user(nodes.node2, 'bo')
    await sal.login()
    await bo.loginWith('pull')
    const onNode1 = new Client(nodes.node1.url, 'bo')
    onNode1.token = bo.token
    assert.equal((await onNode1.get('/messages')).status, 200, 'node 1 holds a copy of his session now')
    assert.equal((await bo.post('/delivery-method', { deliveryMethod: 'push' })).status, 200)
    const admin = new AdminHttp(nodes.node1.url)
    await admin.login(ADMIN_PASSWORD)
    await eventually('node 1\'s copy takes push too', async () => /push on node1/.test((await admin.page('/admin/users/bo')).html))
    const stream = await onNode1.openStream()
    await sal.send('bo', 'pushed wherever he streams')
    assert.equal((await stream.nextOf('message')).data.body, 'pushed wherever he streams')
    assert.equal((await onNode1.post('/keepalive', { timeToLive: 600 })).body.keepAliveTime, 600)
    await eventually('node 2\'s copy takes the new time-to-live', async () => (await bo.post('/keepalive', {})).body.keepAliveTime === 600)
  })

  it('vera\'s browser streams from node 2 but subscribes through node 1 (no stickiness): her stream hears of walt all the same', async () => {
    const vera = await user(nodes.node1, 'vera')
    const walt = await user(nodes.node1, 'walt')
    await vera.loginWith('push')
    const streaming = new Client(nodes.node2.url, 'vera')
    streaming.token = vera.token
    const stream = await streaming.openStream()
    await vera.post('/presence/subscribe', { users: ['walt'] })
    const state = async () => {
      const p = (await stream.nextOf('presence')).data.presence[0]
      return [p.userId, p.online]
    }
    assert.deepEqual(await state(), ['walt', false], 'the current state, on the stream node 2 holds')
    await walt.login()
    assert.deepEqual(await state(), ['walt', true])
    await vera.post('/presence/unsubscribe', { users: ['walt'] })
    const xena = await user(nodes.node1, 'xena')
    await vera.post('/presence/subscribe', { users: ['xena'] })
    assert.deepEqual(await state(), ['xena', false])
    await walt.post('/presence', { statusText: 'nobody listens' })
    await xena.login()
    assert.deepEqual(await state(), ['xena', true], 'nothing of walt since the unsubscription')
    streaming.closeStreams()
  })

  it('rosa\'s phone logs in again on node 2 with the same client id: its old session on node 1 is forced out (601)', async () => {
    const rosa1 = await user(nodes.node1, 'rosa')
    const rosa2 = new Client(nodes.node2.url, 'rosa')
    await rosa1.loginWith('push', { clientId: 'phone' })
    const old = await rosa1.openStream()
    await rosa2.loginWith('push', { clientId: 'phone' })
    const end = await old.nextOf('session')
    assert.equal(end.data.result.code, 601)
    assert.equal((await rosa1.get('/messages')).status, 401, 'the old token is dead on node 1')
    assert.equal((await rosa2.get('/messages')).status, 200, 'the new one lives on node 2')
  })

  it('an admin disables uma on node 1\'s dashboard while she streams on node 2: her stream there ends with 601', async () => {
    const uma = await user(nodes.node2, 'uma')
    await uma.loginWith('push')
    const stream = await uma.openStream()
    const admin = new AdminHttp(nodes.node1.url)
    await admin.login(ADMIN_PASSWORD)
    await eventually('node 1 knows uma is online', async () => /Online/.test((await admin.page('/admin/users/uma')).html))
    assert.equal((await admin.action('/admin/users/uma/disable')).status, 303)
    assert.equal((await stream.nextOf('session')).data.result.code, 601)
    await stream.ended()
    assert.equal((await uma.get('/messages')).status, 401)
  })

  it('the admin disables zeno from the command line while he streams on node 2: his stream ends with 601', async () => {
    const zeno = await user(nodes.node2, 'zeno')
    await zeno.loginWith('push')
    const stream = await zeno.openStream()
    const ran = await runCli(['user', 'disable', 'zeno'], { env: { PIGEONHOLE_DATABASE_URL: nodes.url } })
    assert.equal(ran.code, 0, ran.err)
    assert.equal((await stream.nextOf('session')).data.result.code, 601)
    assert.equal((await zeno.get('/messages')).status, 401)
  })

  it('yara on node 2 blocks xavi, who writes from node 1: node 1 had read her a moment before, and honours the block as soon as it hears of it', async () => {
    const xavi = await user(nodes.node1, 'xavi')
    const yara = await user(nodes.node2, 'yara')
    await xavi.login()
    await yara.login()
    // her login reaches node 1 as a hint, a moment after node 2 answered it
    await eventually('node 1 knows yara is online', async () => (await xavi.get('/presence/yara')).body.online === true)
    assert.equal((await xavi.send('yara', 'first')).body.result.code, 200, 'node 1 reads yara, and keeps her record')
    assert.equal((await yara.post('/blocklist', { block: { inUse: true, add: ['xavi'] } })).status, 200)
    await eventually('node 1 honours the block set on node 2', async () => (await xavi.send('yara', 'again?')).body.result.code === 532, 5000)
    assert.equal((await xavi.send('yara', 'and again')).body.result.code, 532, 'and keeps honouring it')
  })

  it('node 2 is killed (kill -9): ned, connected there, goes offline for mia on node 1 within his time-to-live', async () => {
    const { watcher: mia, watched: ned, stream } = await watcherOfNode2('mia', 'ned')
    await ned.loginWith('push', { timeToLive: 30 })
    await ned.openStream()
    const online = async () => (await stream.nextOf('presence')).data.presence[0].online
    assert.equal(await online(), false)
    assert.equal(await online(), true)
    nodes.node2.child.kill('SIGKILL')
    await exited(nodes.node2.child)
    const killedAt = Date.now()
    assert.equal(await online(), false, 'mia hears it on her stream')
    assert.ok(Date.now() - killedAt < 30_000, 'within his time-to-live')
    assert.equal((await mia.get('/presence/ned')).body.online, false)
    assert.equal((await mia.send('ned', 'are you there?')).body.result.details[0].code, 202, 'messages wait for him again')
    ned.closeStreams()
    mia.closeStreams()
  })
})
