import type { Handler } from '../context.js'
import { blockEntityRequest, getBlockedList } from './blocking.js'
import { acknowledge, search } from './directory.js'
import { createListRequest, deleteListRequest, getList, listManage } from './lists.js'
import {
  getMessageList, getMessageRequest, messageDeliveredRequest, rejectMessageRequest, sendMessageRequest, setDeliveryMethod,
} from './messaging.js'
import { getPresence, subscribe, unsubscribe, update } from './presence.js'
import { clientCapability, keepAliveRequest, logout, service } from './session.js'

/** the client-to-server primitives served, by element name (Login-Request and Polling-Request are the envelope's) */
export const HANDLERS: Record<string, Handler> = {
  'ClientCapability-Request': clientCapability,
  'Service-Request': service,
  'KeepAlive-Request': keepAliveRequest,
  'Logout-Request': logout,
  'SendMessage-Request': sendMessageRequest,
  'GetMessageList-Request': getMessageList,
  'GetMessage-Request': getMessageRequest,
  MessageDelivered: messageDeliveredRequest,
  'RejectMessage-Request': rejectMessageRequest,
  'SetDeliveryMethod-Request': setDeliveryMethod,
  'GetList-Request': getList,
  'CreateList-Request': createListRequest,
  'DeleteList-Request': deleteListRequest,
  'ListManage-Request': listManage,
  'GetPresence-Request': getPresence,
  'SubscribePresence-Request': subscribe,
  'UnsubscribePresence-Request': unsubscribe,
  'UpdatePresence-Request': update,
  'GetBlockedList-Request': getBlockedList,
  'BlockEntity-Request': blockEntityRequest,
  'BlockUser-Request': blockEntityRequest,
  'Search-Request': search,
  'StopSearch-Request': acknowledge,
  'PresenceAuth-User': acknowledge,
  'CancelAuth-Request': acknowledge,
  'CreateAttributeList-Request': acknowledge,
  'DeleteAttributeList-Request': acknowledge,
}

/** named in the Status 501 they get: groups and invitations come later */
export const UNIMPLEMENTED = new Set([
  'CreateGroup-Request', 'DeleteGroup-Request', 'JoinGroup-Request', 'LeaveGroup-Request', 'GetGroupMembers-Request',
  'AddGroupMembers-Request', 'RemoveGroupMembers-Request', 'MemberAccess-Request', 'GetGroupProps-Request',
  'SetGroupProps-Request', 'RejectList-Request', 'SubscribeGroupNotice-Request', 'GetJoinedUsers-Request',
  'Invite-Request', 'InviteUser-Request', 'CancelInvite-Request', 'CancelInviteUser-Request', 'ForwardMessage-Request',
])
