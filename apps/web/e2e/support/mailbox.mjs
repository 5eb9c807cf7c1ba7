// A mail catcher for the e2e run: an SMTP server that keeps every message in memory, and a small HTTP
// API to read them (GET /messages?to=<address>, GET /health). Playwright starts and stops it.
import { createServer } from 'node:http'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

const smtpPort = Number(process.env.SMTP_PORT ?? 18325)
const httpPort = Number(process.env.MAILBOX_PORT ?? 18326)
const messages = []

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          receivedAt: new Date().toISOString(),
        })
        callback()
      })
      .catch(callback)
  },
})
smtp.listen(smtpPort, '127.0.0.1')

const api = createServer((request, response) => {
  const url = new URL(request.url ?? '/', `http://127.0.0.1:${httpPort}`)
  const send = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  }
  if (url.pathname === '/health') return send(200, { ok: true })
  if (url.pathname === '/messages') {
    const to = url.searchParams.get('to')?.toLowerCase()
    return send(200, to ? messages.filter((message) => message.to.includes(to)) : messages)
  }
  send(404, { error: 'not found' })
})
api.listen(httpPort, '127.0.0.1')

const stop = () => {
  smtp.close(() => api.close(() => process.exit(0)))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
