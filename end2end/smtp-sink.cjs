// A real SMTP server for the browser tests (nodemailer's `smtp-server`, no
// TLS, no auth, loopback only). It keeps every message it accepts, parsed by
// `mailparser`, and lists them as JSON over HTTP for the specs to read:
//   GET http://127.0.0.1:$SINK_HTTP_PORT/messages -> [{to, subject, text, html}]
// Usage: node smtp-sink.cjs <smtp port> <http port>
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const http = require('http');

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const messages = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject || '',
          text: mail.text || '',
          html: mail.html || '',
        });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, '127.0.0.1');

http
  .createServer((req, res) => {
    if (req.url === '/messages') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(messages));
    } else {
      res.writeHead(404);
      res.end();
    }
  })
  .listen(httpPort, '127.0.0.1');
