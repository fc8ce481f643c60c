/** CSP 1.1, 1.2 and 1.3, as XML or WBXML: the namespaces that name a version, and the content type its answers carry. */
export type Version = '1.1' | '1.2' | '1.3'

export interface Namespaces {
  csp: string
  trc: string
  pa: string
}

const OMA = 'http://www.openmobilealliance.org/DTD'
export const NAMESPACES: Record<Version, Namespaces> = {
  '1.1': { csp: 'http://www.wireless-village.org/CSP1.1', trc: 'http://www.wireless-village.org/TRC1.1', pa: 'http://www.wireless-village.org/PA1.1' },
  '1.2': { csp: `${OMA}/WV-CSP1.2`, trc: `${OMA}/WV-TRC1.2`, pa: `${OMA}/WV-PA1.2` },
  '1.3': { csp: `${OMA}/IMPS-CSP1.3`, trc: `${OMA}/IMPS-TRC1.3`, pa: `${OMA}/IMPS-PA1.3` },
}

/** the version a root element's namespace names; a root without one is read as 1.1 (hand-written clients) */
export function versionOf(namespace: string): Version | undefined {
  if (namespace === '') return '1.1'
  for (const v of Object.keys(NAMESPACES) as Version[]) if (NAMESPACES[v].csp === namespace) return v
  return undefined
}

export type Encoding = 'xml' | 'wbxml'

/** `…wbxml` content types (1.1/1.2 `application/vnd.wv.csp.wbxml`, 1.3 `…csp+wbxml`) are WBXML; anything else is read as XML */
export function encodingOf(contentTypeHeader: string | undefined): Encoding {
  return /wbxml/i.test(contentTypeHeader ?? '') ? 'wbxml' : 'xml'
}

/** the answer's content type: 1.3 writes `+xml`/`+wbxml`, 1.1 and 1.2 `.xml`/`.wbxml` (AOSP ImpsConnectionConfig) */
export function contentType(v: Version, encoding: Encoding = 'xml'): string {
  return `application/vnd.wv.csp${v === '1.3' ? '+' : '.'}${encoding}`
}
