import type { Version } from '../version.js'

/**
 * WV-CSP WBXML token tables, as data. Sources (read them to check a token):
 * - AOSP aosp-mirror/platform_packages_apps_im libwbxml/include/csp13_data.h: the IMPS 1.3 tables, which
 *   keep the 1.2 tags 1.3 removed; this file's base ("superset").
 * - S60 SymbianSource/oss.FCL.sf.app.IM IMPSengine/messageencoder/dictionary/imps_1_1_Tokens.h and
 *   imps_1_2_Tokens.h: what Nokia encodes; the per-version differences below come from them.
 * Each page lists names from token 0x05 upward; '' is a token the page leaves unassigned.
 */
const SUPERSET_TAGS: string[][] = [
  /* 0x00 Common */ ['Acceptance', 'AddList', 'AddNickList', 'SName', 'WV-CSP-Message', 'ClientID', 'Code', 'ContactList', 'ContentData', 'ContentEncoding', 'ContentSize', 'ContentType', 'DateTime', 'Description', 'DetailedResult', 'EntityList', 'Group', 'GroupID', 'GroupList', 'InUse', 'Logo', 'MessageCount', 'MessageID', 'MessageURI', 'MSISDN', 'Name', 'NickList', 'NickName', 'Poll', 'Presence', 'PresenceSubList', 'PresenceValue', 'Property', 'Qualifier', 'Recipient', 'RemoveList', 'RemoveNickList', 'Result', 'ScreenName', 'Sender', 'Session', 'SessionDescriptor', 'SessionID', 'SessionType', 'Status', 'Transaction', 'TransactionContent', 'TransactionDescriptor', 'TransactionID', 'TransactionMode', 'URL', 'URLList', 'User', 'UserID', 'UserList', 'Validity', 'Value'],
  /* 0x01 Access */ ['AllFunctions', 'AllFunctionsRequest', 'CancelInvite-Request', 'CancelInviteUser-Request', '', 'CapabilityList', 'CapabilityRequest', 'ClientCapability-Request', 'ClientCapability-Response', 'DigestBytes', 'DigestSchema', 'Disconnect', 'Functions', 'GetSPInfo-Request', 'GetSPInfo-Response', 'InviteID', 'InviteNote', 'Invite-Request', 'Invite-Response', 'InviteType', 'InviteUser-Request', 'InviteUser-Response', 'KeepAlive-Request', 'KeepAliveTime', 'Login-Request', 'Login-Response', 'Logout-Request', 'Nonce', 'Password', 'Polling-Request', 'ResponseNote', 'SearchElement', 'SearchFindings', 'SearchID', 'SearchIndex', 'SearchLimit', 'KeepAlive-Response', 'SearchPairList', 'Search-Request', 'Search-Response', 'SearchResult', 'Service-Request', 'Service-Response', 'SessionCookie', 'StopSearch-Request', 'TimeToLive', 'SearchString', 'CompletionFlag', '', 'ReceiveList', 'VerifyID-Request', 'Extended-Request', 'Extended-Response', 'AgreedCapabilityList', 'ExtendedData', 'OtherServer', 'PresenceAttributeNSName', 'SessionNSName', 'TransactionNSName'],
  /* 0x02 Service */ ['ADDGM', 'AttListFunc', 'BLENT', 'CAAUT', 'CAINV', '', 'CCLI', 'ContListFunc', 'CREAG', '', 'DCLI', 'DELGR', 'FundamentalFeat', 'FWMSG', '', 'GCLI', 'GETGM', 'GETGP', 'GETLM', 'GETM', 'GETPR', 'GETSPI', 'GETWL', 'GLBLU', 'GRCHN', 'GroupAuthFunc', 'GroupFeat', 'GroupMgmtFunc', 'GroupUseFunc', 'IMAuthFunc', 'IMFeat', 'IMReceiveFunc', 'IMSendFunc', 'INVIT', 'InviteFunc', 'MBRAC', 'MCLS', 'MDELIV', 'NEWM', 'NOTIF', 'PresenceAuthFunc', 'PresenceDeliverFunc', 'PresenceFeat', 'REACT', 'REJCM', 'REJEC', 'RMVGM', 'SearchFunc', 'ServiceFunc', 'SETD', 'SETGP', 'SRCH', 'STSRC', 'SUBGCN', 'UPDPR', 'WVCSPFeat', 'MF', 'MG', 'MM'],
  /* 0x03 Capability */ ['AcceptedCharset', 'AcceptedContentLength', 'AcceptedContentType', 'AcceptedTransferEncoding', 'AnyContent', 'DefaultLanguage', 'InitialDeliveryMethod', 'MultiTrans', 'ParserSize', 'ServerPollMin', 'SupportedBearer', 'SupportedCIRMethod', 'TCPAddress', 'TCPPort', 'UDPPort', 'CIRHTTPAddress', 'UDPAddress', 'AcceptedPullLength', 'AcceptedPushLength', 'AcceptedRichContentLength', 'AcceptedTextContentLength', 'OfflineETEMHandling', 'PlainTextCharset', 'SessionPriority', 'SupportedOfflineBearer', '', 'UserSessionLimit', 'CIRSMSAddress', 'MultiTransPerMessage', 'OnlineETEMHandling', 'ContentPolicy', 'ContentPolicyLimit'],
  /* 0x04 Presence */ ['CancelAuth-Request', 'ContactListProperties', 'CreateAttributeList-Request', 'CreateList-Request', 'DefaultAttributeList', 'DefaultContactList', 'DefaultList', 'DeleteAttributeList-Request', 'DeleteList-Request', 'GetAttributeList-Request', 'GetAttributeList-Response', 'GetList-Request', 'GetList-Response', 'GetPresence-Request', 'GetPresence-Response', 'GetWatcherList-Request', 'GetWatcherList-Response', 'ListManage-Request', 'ListManage-Response', 'UnsubscribePresence-Request', 'PresenceAuth-Request', 'PresenceAuth-User', 'PresenceNotification-Request', 'UpdatePresence-Request', 'SubscribePresence-Request', 'AutoSubscribe', 'GetReactiveAuthStatus-Request', 'GetReactiveAuthStatus-Response', 'CreateList-Response'],
  /* 0x05 Presence attributes */ ['Accuracy', 'Address', 'AddrPref', 'Alias', 'Altitude', 'Building', 'Caddr', 'City', 'ClientInfo', 'ClientProducer', 'ClientType', 'ClientVersion', 'CommC', 'CommCap', 'ContactInfo', 'ContainedvCard', 'Country', 'Crossing1', 'Crossing2', 'DevManufacturer', 'DirectContent', 'FreeTextLocation', 'GeoLocation', 'Language', 'Latitude', 'Longitude', 'Model', 'NamedArea', 'OnlineStatus', 'PLMN', 'PrefC', 'PreferredContacts', 'PreferredLanguage', 'ReferredContent', 'ReferredvCard', 'Registration', 'StatusContent', 'StatusMood', 'StatusText', 'Street', 'TimeZone', 'UserAvailability', 'Cap', 'Cname', 'Contact', 'Cpriority', 'Cstatus', 'Note', 'Zone', '', 'Inf_link', 'InfoLink', 'Link', 'Text', 'ClientContentLimit', 'ClientIMPriority', 'MaxPullLength', 'MaxPushLength'],
  /* 0x06 Messaging */ ['BlockList', 'BlockEntity-Request', 'DeliveryMethod', 'DeliveryReport', 'DeliveryReport-Request', 'ForwardMessage-Request', 'GetBlockedList-Request', 'GetBlockedList-Response', 'GetMessageList-Request', 'GetMessageList-Response', 'GetMessage-Request', 'GetMessage-Response', 'GrantList', 'MessageDelivered', 'MessageInfo', 'MessageNotification', 'NewMessage', 'RejectMessage-Request', 'SendMessage-Request', 'SendMessage-Response', 'SetDeliveryMethod-Request', 'DeliveryTime', '', '', '', '', '', 'MessageInfoList', 'ForwardMessage-Response'],
  /* 0x07 Group */ ['AddGroupMembers-Request', 'Admin', 'CreateGroup-Request', 'DeleteGroup-Request', 'GetGroupMembers-Request', 'GetGroupMembers-Response', 'GetGroupProps-Request', 'GetGroupProps-Response', 'GroupChangeNotice', 'GroupProperties', 'Joined', 'JoinedRequest', 'JoinGroup-Request', 'JoinGroup-Response', 'LeaveGroup-Request', 'LeaveGroup-Response', 'Left', 'MemberAccess-Request', 'Mod', 'OwnProperties', 'RejectList-Request', 'RejectList-Response', 'RemoveGroupMembers-Request', 'SetGroupProps-Request', 'SubscribeGroupNotice-Request', 'SubscribeGroupNotice-Response', 'Users', 'WelcomeNote', 'JoinGroup', 'SubscribeNotification', 'SubscribeType', 'GetJoinedUsers-Request', 'GetJoinedUsers-Response', 'AdminMapList', 'AdminMapping', 'Mapping', 'ModMapping', 'UserMapList', 'UserMapping', 'JoinedBlocked', 'LeftBlocked'],
  /* 0x08 Service, continued */ ['MP', 'GETAUT', 'GETJU', 'VRID', 'VerifyIDFunc', 'GETMAP', 'SGMNT', 'EXCON', 'OFFNOTIF', 'ADVSR'],
  /* 0x09 Common, continued */ ['CIR', 'Domain', 'ExtBlock', 'HistoryPeriod', 'IDList', 'MaxWatcherList', 'AnswerOptionText', '', '', 'Watcher', 'WatcherStatus', 'Font', 'Size', 'Style', 'Color', 'ContentName', 'Map', 'NotificationType', 'NotificationTypeList', 'FriendlyName', 'ClearPublicProfile', 'PublicProfile', 'AnswerOption', 'AnswerOptionID', 'AnswerOptions', 'ApplicationID', 'AuthorizeAndGrant', 'ChosenOptionID', 'ContactListNotify', 'DefaultNotify', 'ExtendConversationUser', 'InText', 'SegmentCount', 'SegmentID', 'SegmentInfo', 'SegmentReference', 'SystemMessage', 'SystemMessageID', 'SystemMessageList', 'SystemMessageResponse', 'SystemMessageResponseList', '', 'SystemMessageText', 'TryAgainTimeout', 'UserNotify', 'VerificationKey', 'VerificationMechanism', 'GetMap-Request', 'GetMap-Response', 'ExtendConversationID', 'WatcherCount', 'RequiresResponse', 'ExtBlockETEM', 'GroupContentLimit', 'MessageTotalCount', 'UnrecognizedUserID', 'UserIDPair', 'ValidUserID', 'UserIDList'],
  /* 0x0A Access, continued */ ['WV-CSP-VersionDiscovery-Request', 'WV-CSP-VersionDiscovery-Response', 'VersionList', 'SubscribeNotification-Request', 'UnsubscribeNotification-Request', 'Notification-Request', 'AdvancedCriteria', 'PairID', 'GetPublicProfile-Request', 'GetPublicProfile-Response', 'UpdatePublicProfile-Request', 'DropSegment-Request', 'ExtendConversation-Response', 'ExtendConversation-Request', 'GetSegment-Request', 'GetSegment-Response', 'SystemMessage-Request', 'SystemMessage-User', 'SearchPair', 'SegmentContent'],
  /* 0x0B Common, continued (1.3) */ ['GrantListInUse', 'BlockListInUse', 'ContactListIDList', 'AnswerOptionsText'],
]

/** EXT_T_0 value tokens (AOSP csp13ExtValueTokens); 0x75 repeats SMS there, decoded but never emitted */
const SUPERSET_VALUES: Record<number, string> = {}
const VALUE_LIST = 'AccessType ActiveUsers Admin application/ application/vnd.wap.mms-message application/x-sms AutoJoin BASE64 Closed Default DisplayName F G GR http:// https:// image/ Inband IM MaxActiveUsers Mod Name None N Open Outband PR Private PrivateMessaging PrivilegeLevel Public P Request Response Restricted ScreenName Searchable S SC text/ text/plain text/x-vCalendar text/x-vCard Topic T Type U US www.wireless-village.org AutoDelete GM Validity DENIED GRANTED PENDING ShowID RequireInvitation Tiny PPU SPA ANC GROUP_ID GROUP_NAME GROUP_TOPIC GROUP_USER_ID_JOINED GROUP_USER_ID_OWNER HTTP SMS STCP SUDP USER_ALIAS USER_EMAIL_ADDRESS USER_FIRST_NAME USER_ID USER_LAST_NAME USER_MOBILE_NUMBER USER_ONLINE_STATUS WAPSMS WAPUDP WSP GROUP_USER_ID_AUTOJOIN AND AC BLC BLUC CLCR CLD GC GD GLC ANU ANGRY ANXIOUS ASHAMED - AVAILABLE BORED CALL CLI COMPUTER DISCREET EMAIL EXCITED HAPPY AP - - IN_LOVE INVINCIBLE JEALOUS MMS MOBILE_PHONE NOT_AVAILABLE OTHER PDA SAD SLEEPY SMS - - www.openmobilealliance.org Small Medium Big Huge Bold Italic Underline Black Silver Gray White Maroon Red Purple Fuchsia Green Lime Olive Yellow Navy Blue Teal Aqua ATCL CLC - USER_CITY USER_COUNTRY USER_FRIENDLY_NAME USER_GENDER USER_INTENTION USER_INTERESTS_HOBBIES USER_MARITAL_STATUS PRIORITYREJECT PRIORITYSTORE REJECT SENDREJECT SENDSTORE IR EC GLUC IA IC SSMS SHTTP DoNotNotify GMAU GMG GMR GMU DETECT FORKALL OEU SERVERLOGIC PP_AGE PP_CITY PP_COUNTRY PP_FRIENDLY_NAME PP_FREE_TEXT PP_GENDER PP_INTENTION PP_INTERESTS PP_MARITAL_STATUS USER_AGE_MAX USER_AGE_MIN EG MinimumAge C CURRENT_SUBSCRIBER FORMER_SUBSCRIBER PRESENCE_ACCESS R'
// the list above runs 0x00–0x3C, then 0x3D onwards (AOSP leaves 0x37–0x3C partly free in 1.1: see below)
VALUE_LIST.split(' ').forEach((v, i) => {
  if (v !== '-') SUPERSET_VALUES[i] = v
})

/** per-version changes to the superset: [code (page << 8 | token), name or '' to remove] (S60 headers, AOSP notes) */
const TAG_CHANGES: Record<Version, Array<[number, string]>> = {
  '1.1': [[0x0109, 'Capability'], [0x020a, 'CALI'], [0x020e, 'DALI'], [0x0213, 'GALS'], [0x0606, 'BlockUser-Request']],
  '1.2': [[0x090b, 'ReactiveAuthState'], [0x090c, 'ReactiveAuthStatus'], [0x090d, 'ReactiveAuthStatusList']],
  // IMPS_CSP_WBXML-V1_3 removed these (AOSP keeps them only to read 1.2)
  '1.3': [0x0018, 0x071f, 0x0206, 0x0208, 0x0230, 0x0305, 0x0306, 0x0405, 0x0419, 0x041a, 0x041e, 0x041f, 0x0420].map((c) => [c, '']),
}

/** the last token of each page a version has (S60 for 1.1/1.2; 1.3 has every page of the superset) */
const LAST_TOKEN: Record<Version, number[]> = {
  '1.1': [0x3d, 0x34, 0x3c, 0x13, 0x1d, 0x35, 0x1a, 0x23],
  '1.2': [0x3d, 0x3f, 0x3c, 0x24, 0x21, 0x3e, 0x21, 0x2b, 0x09, 0x0f],
  '1.3': SUPERSET_TAGS.map((p) => p.length + 4),
}

/** value tokens each version has: 1.1/1.2 from S60 (IM_OFFLINE/IM_ONLINE 0x69/0x6A, no 0x68 AP in 1.2), 1.3 from AOSP */
function valuesOf(v: Version): Map<number, string> {
  const m = new Map<number, string>()
  const keep = (i: number) => v === '1.3' || i <= 0x37 || (i >= 0x3d && i <= 0x50) || (i >= 0x5b && i <= 0x77)
  for (const [i, name] of Object.entries(SUPERSET_VALUES)) if (keep(Number(i))) m.set(Number(i), name)
  if (v !== '1.3') {
    for (const [i, name] of [[0x5e, 'AUDIO_CALL'], [0x69, 'IM_OFFLINE'], [0x6a, 'IM_ONLINE'], [0x76, 'VIDEO_CALL'], [0x77, 'VIDEO_STREAM']] as const) m.set(i, name)
    m.delete(0x68)
    m.delete(0x75)
  }
  if (v === '1.1') {
    m.set(0x34, 'ShowID')
    m.delete(0x37)
    m.set(0x68, 'IM') // S60 1.1 "IM1": a second IM, decoded only (0x12 is what is written)
  }
  return m
}

export interface TokenTable {
  /** code (page << 8 | token) → element name */
  tags: Map<number, string>
  /** element name → code */
  tagCodes: Map<string, number>
  values: Map<number, string>
  valueCodes: Map<string, number>
}

function build(v: Version): TokenTable {
  const tags = new Map<number, string>()
  SUPERSET_TAGS.forEach((names, page) => {
    if (page >= LAST_TOKEN[v].length) return
    names.forEach((name, i) => {
      if (name && i + 5 <= LAST_TOKEN[v][page]) tags.set((page << 8) | (i + 5), name)
    })
  })
  for (const [code, name] of TAG_CHANGES[v]) {
    if (name) tags.set(code, name)
    else tags.delete(code)
  }
  const values = valuesOf(v)
  const tagCodes = new Map<string, number>()
  for (const [code, name] of tags) if (!tagCodes.has(name)) tagCodes.set(name, code)
  const valueCodes = new Map<string, number>()
  for (const [code, name] of values) if (!valueCodes.has(name)) valueCodes.set(name, code)
  return { tags, tagCodes, values, valueCodes }
}

// built at the first WBXML message, not at start: a server whose phones speak XML never pays for them
const built = new Map<Version, TokenTable>()
let superset: TokenTable | undefined

/** a version's table */
export function tableOf(v: Version): TokenTable {
  let t = built.get(v)
  if (!t) built.set(v, (t = build(v)))
  return t
}

/** what a decoder falls back to for a token its version lacks: AOSP reads every version with its 1.3 superset */
export function supersetTable(): TokenTable {
  if (superset) return superset
  const t = build('1.3')
  for (const [code, name] of TAG_CHANGES['1.3']) if (!name) t.tags.set(code, SUPERSET_TAGS[code >> 8][(code & 0xff) - 5])
  for (const [i, name] of Object.entries(SUPERSET_VALUES)) t.values.set(Number(i), name)
  return (superset = t)
}

/** public ids (WBXML header) and the xmlns attribute-start tokens, each with its value prefix (AOSP csp13AttrPage0) */
export const PUBLIC_IDS: Record<Version, number> = { '1.1': 0x10, '1.2': 0x11, '1.3': 0x12 }
export const XMLNS_TOKENS: Record<number, string> = {
  0x05: 'http://www.wireless-village.org/CSP', 0x06: 'http://www.wireless-village.org/PA', 0x07: 'http://www.wireless-village.org/TRC',
  0x08: 'http://www.openmobilealliance.org/DTD/WV-CSP', 0x09: 'http://www.openmobilealliance.org/DTD/WV-PA', 0x0a: 'http://www.openmobilealliance.org/DTD/WV-TRC',
  0x0b: 'http://www.openmobilealliance.org/DTD/IMPS-CSP', 0x0c: 'http://www.openmobilealliance.org/DTD/IMPS-PA', 0x0d: 'http://www.openmobilealliance.org/DTD/IMPS-TRC',
}

/** elements whose whole-number text travels as an OPAQUE big-endian integer (AOSP's encoder; decoders take strings too) */
export const INTEGER_ELEMENTS = new Set([
  'Code', 'ContentSize', 'MessageCount', 'TimeToLive', 'KeepAliveTime', 'ParserSize', 'MultiTrans', 'ServerPollMin', 'TCPPort', 'UDPPort',
  'AcceptedContentLength', 'SearchLimit', 'SearchIndex', 'SearchFindings', 'Validity', 'MultiTransPerMessage', 'AcceptedPullLength',
  'AcceptedPushLength', 'AcceptedRichContentLength', 'AcceptedTextContentLength', 'SessionPriority', 'UserSessionLimit', 'HistoryPeriod', 'MaxWatcherList',
])

/**
 * Elements whose text is people's words or identifiers: written inline even when it happens to equal a value token
 * ("Open" as a status, a user called "N"), so that a phone never has to expand a token where no DTD expects one.
 */
export const FREE_TEXT_ELEMENTS = new Set([
  'ContentData', 'StatusText', 'Description', 'UserID', 'Name', 'Alias', 'ScreenName', 'SName', 'SessionCookie', 'SessionID',
  'TransactionID', 'MessageID', 'Password', 'URL', 'MSISDN', 'ContactList', 'GroupID', 'SearchString', 'Nonce', 'DisplayName',
])
