// What the floors answer: enough of registration, login and a send for the bench's client to go on
export const API_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
}

export function answerFor(path, request, randomBytes) {
  if (path.endsWith('/users')) return { result: { code: 200, text: 'Successful' } }
  if (path.endsWith('/login')) return { result: { code: 200, text: 'Successful' }, token: randomBytes(16).toString('hex') }
  const details = [{ code: 202, text: 'IM accepted for offline user', users: request.to }]
  return { result: { code: 201, text: 'Partially successful', details }, messageId: randomBytes(8).toString('base64url') }
}
