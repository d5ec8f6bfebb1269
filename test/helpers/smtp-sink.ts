import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An SMTP reply the sink gives instead of accepting, at the recipient (RCPT TO) or message (DATA) stage. */
export interface SmtpRejection {
  stage: 'rcpt' | 'data';
  /** SMTP reply code, e.g. 550 or 451. */
  code: number;
  message: string;
}

/** One accepted message: the raw MIME and what mailparser made of it. */
export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
}

export interface SmtpSink {
  /** `smtp://user:secret@HOST:PORT?starttls=off` (HOST 127.0.0.1 unless given): plain SMTP, as the sink offers no STARTTLS. */
  url: string;
  /** The password the sink accepts, to check that no error or log ever shows it. */
  password: string;
  received: ReceivedMail[];
  /** Queues rejections for the next messages, in order. */
  reject(...rejections: SmtpRejection[]): void;
  /**
   * Refuses one recipient address at RCPT TO with this reply, every time (or only the next `times`
   * times), whatever else is queued; `undefined` accepts it again. Other recipients are unaffected.
   */
  refuseRecipient(address: string, reply: { code: number; message: string; times?: number } | undefined): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 (or `host`), a free port, that parses what it accepts with
 * mailparser. STARTTLS is disabled, so clients must connect with `starttls=off`. It requires
 * AUTH PLAIN/LOGIN as `user`/`password` (allowed without TLS: a test network only).
 */
export async function startSmtpSink({ host = '127.0.0.1' }: { host?: string } = {}): Promise<SmtpSink> {
  const password = 's3cret-p@ss';
  const received: ReceivedMail[] = [];
  const pending: SmtpRejection[] = [];
  const refused = new Map<string, { code: number; message: string; times?: number }>();
  const refusal = (address: string): Error | null => {
    const reply = refused.get(address.toLowerCase());
    if (reply === undefined) return null;
    if (reply.times !== undefined) {
      if (reply.times <= 1) refused.delete(address.toLowerCase());
      else reply.times -= 1;
    }
    return Object.assign(new Error(reply.message), { responseCode: reply.code });
  };
  const rejection = (stage: SmtpRejection['stage']): Error | null => {
    if (pending[0]?.stage !== stage) return null;
    const next = pending.shift()!;
    return Object.assign(new Error(next.message), { responseCode: next.code });
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'user' && auth.password === password) callback(null, { user: 'user' });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      callback(refusal(address.address) ?? rejection('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refused = rejection('data');
        if (refused) {
          callback(refused);
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelopeTo = session.envelope.rcptTo.map((a) => a.address);
        simpleParser(raw)
          .then((parsed) => {
            received.push({ raw, parsed, envelopeTo });
            callback();
          })
          .catch((error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, host, () => {
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `smtp://user:${encodeURIComponent(password)}@${host}:${address.port}?starttls=off`,
    password,
    received,
    reject: (...rejections) => pending.push(...rejections),
    refuseRecipient: (address, reply) => {
      if (reply === undefined) refused.delete(address.toLowerCase());
      else refused.set(address.toLowerCase(), { ...reply });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
