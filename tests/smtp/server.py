"""A real SMTP server on 127.0.0.1 for the tests of `protest send` (aiosmtpd).

It prints its port on the first line of standard output, then serves until
killed. Every message it accepts is written to DIR as NNNN.eml (the bytes as
received, dot-stuffing undone) with NNNN.json beside it: the envelope, and
the times the MAIL command and the end of the data arrived.

Options:
  --dir DIR             where to record the messages (required)
  --user U --password P require AUTH with these credentials
  --reject ADDR         answer 550 to RCPT TO for ADDR (repeatable)
  --defer-once ADDR     answer 451 to the first message for ADDR, at the end of its data
  --reject-reply TEXT   the reply to a rejected RCPT TO (Python escapes: \\x1b)
  --tls CERT KEY        offer STARTTLS with this certificate and require it
  --tls-optional        with --tls: offer STARTTLS without requiring it (AUTH still needs it)
  --implicit-tls        with --tls: TLS from the first byte (smtps) instead
  --drop-once-after N   after N messages, close the connection on the next MAIL
  --drop-after-data N   record the Nth message, then close the connection without answering it
  --reject-sender TEXT  answer TEXT to every MAIL FROM (a refused sender)
  --hold-rcpt           hold the reply to each RCPT TO until DIR/release exists, having
                        written DIR/holding-rcpt
  --hold                hold the reply to each message's data until the file DIR/release
                        exists, having recorded the message and written DIR/holding-NNNN

The server only ever listens on 127.0.0.1.
"""

import argparse
import asyncio
import json
import os
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--reject-reply", default="550 5.1.1 <%s>: mailbox unavailable")
    parser.add_argument("--defer-once", action="append", default=[])
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--tls-optional", action="store_true")
    parser.add_argument("--hold", action="store_true")
    parser.add_argument("--drop-once-after", type=int)
    parser.add_argument("--drop-after-data", type=int)
    parser.add_argument("--reject-sender")
    parser.add_argument("--hold-rcpt", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    reject_reply = args.reject_reply.encode().decode("unicode_escape")
    handler = Handler(
        args.dir, args.reject, reject_reply, args.defer_once, args.drop_once_after, args.hold
    )
    handler.drop_after_data = args.drop_after_data
    handler.reject_sender = args.reject_sender
    handler.hold_rcpt = args.hold_rcpt
    kwargs = {"decode_data": False, "enable_SMTPUTF8": True}
    if args.user:

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == args.user.encode()
                and auth_data.password == args.password.encode()
            )
            # handled=False: aiosmtpd itself answers 535 to a failure.
            return AuthResult(success=ok, handled=False)

        kwargs.update(
            authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.tls)
        )
    listen_tls = None
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls[0], args.tls[1])
        if args.implicit_tls:
            listen_tls = context
            kwargs.update(auth_require_tls=False)
        else:
            kwargs.update(tls_context=context, require_starttls=not args.tls_optional)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, **kwargs), host="127.0.0.1", port=0, ssl=listen_tls
        )
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()


class Handler:
    def __init__(self, directory, reject, reject_reply, defer_once, drop_once_after, hold):
        self.directory = directory
        self.reject = {a.lower() for a in reject}
        self.reject_reply = reject_reply
        self.hold = hold
        self.defer_once = {a.lower() for a in defer_once}
        self.drop_once_after = drop_once_after
        self.count = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_once_after is not None and self.count == self.drop_once_after:
            self.drop_once_after = None
            server.transport.close()
            return "421 4.3.2 closing"
        if self.reject_sender:
            return self.reject_sender
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        envelope.mail_time = time.time()
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_rcpt:
            write(os.path.join(self.directory, "holding-rcpt"), b"")
            await wait_for_release(self.directory)
        if address.lower() in self.reject:
            return self.reject_reply.replace("%s", address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address.lower() in self.defer_once:
                self.defer_once.discard(address.lower())
                return "451 4.3.0 try again later"
        self.count += 1
        stem = os.path.join(self.directory, "%04d" % self.count)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_time": envelope.mail_time,
            "data_time": time.time(),
            "authenticated": bool(getattr(session, "authenticated", False)),
            "tls": session.ssl is not None or server_is_tls(server),
        }
        write(stem + ".eml", envelope.original_content)
        write(stem + ".json", json.dumps(meta).encode())
        if self.count == self.drop_after_data:
            # Queued, and the connection lost before the answer.
            server.transport.close()
            return "421 4.3.2 closing"
        if self.hold:
            # Queued, as a real server has the message once its data is in;
            # only the answer waits for the test.
            write(os.path.join(self.directory, "holding-%04d" % self.count), b"")
            await wait_for_release(self.directory)
        return "250 2.0.0 queued as %04d" % self.count


async def wait_for_release(directory):
    release = os.path.join(directory, "release")
    for _ in range(2400):
        if os.path.exists(release):
            break
        await asyncio.sleep(0.05)


def server_is_tls(server):
    return server.transport.get_extra_info("sslcontext") is not None


def write(path, data):
    """Whole files only: the tests poll the directory."""
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main())
