import { type CapabilityRequest, DELIVERY_METHODS } from '../core/capabilities.js'
import { badParameter } from '../core/refusals.js'
import { type Json, optBool, optInt, optOneOf, optStrArray } from './validate.js'

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/i

/** a ClientCapability-Request body, checked field by field */
export function capabilityRequest(o: Json): CapabilityRequest {
  const types = optStrArray(o, 'acceptedContentTypes', { min: 1, max: 32, itemMax: 127 })
  for (const t of types ?? []) {
    if (!MIME.test(t)) throw badParameter(`"${t.slice(0, 60)}" in "acceptedContentTypes" is not a MIME type like text/plain`)
  }
  return {
    offlineMessaging: optBool(o, 'offlineMessaging'),
    deliveryMethod: optOneOf(o, 'deliveryMethod', DELIVERY_METHODS),
    acceptedContentTypes: types,
    acceptedContentLength: optInt(o, 'acceptedContentLength', 1),
  }
}
