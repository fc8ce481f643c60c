import type { Config } from '../config.js'
import type { Capabilities, DeliveryMethod } from './types.js'

export const DELIVERY_METHODS: readonly DeliveryMethod[] = ['push', 'notify', 'pull']

export interface CapabilityRequest {
  offlineMessaging?: boolean
  deliveryMethod?: DeliveryMethod
  acceptedContentTypes?: string[]
  acceptedContentLength?: number
}

export function defaultCapabilities(config: Config): Capabilities {
  return {
    offlineMessaging: config.offline,
    deliveryMethod: 'push',
    acceptedContentTypes: ['text/plain'],
    acceptedContentLength: config.maxBodyBytes,
  }
}

/** what the server agrees to, starting from what the session has: it never grants more than it is configured for */
export function negotiate(config: Config, current: Capabilities, request: CapabilityRequest): Capabilities {
  return {
    offlineMessaging: config.offline && (request.offlineMessaging ?? current.offlineMessaging),
    deliveryMethod: request.deliveryMethod ?? current.deliveryMethod,
    acceptedContentTypes: request.acceptedContentTypes
      ? [...new Set(request.acceptedContentTypes.map((t) => t.toLowerCase()))]
      : current.acceptedContentTypes,
    acceptedContentLength: Math.min(config.maxBodyBytes, request.acceptedContentLength ?? current.acceptedContentLength),
  }
}

/** whether a client that agreed these capabilities takes a message of this type and size */
export function accepts(caps: Capabilities, contentType: string, size: number): 'yes' | 'type' | 'length' {
  const type = contentType.split(';')[0].trim().toLowerCase()
  const typeOk = caps.acceptedContentTypes.some(
    (t) => t === '*/*' || t === type || (t.endsWith('/*') && type.startsWith(t.slice(0, -1))),
  )
  if (!typeOk) return 'type'
  return size <= caps.acceptedContentLength ? 'yes' : 'length'
}
