"""A mail server for tests: receives on 127.0.0.1:PORT with Debian's aiosmtpd
and writes each message, decoded, as one JSON line to OUTPUT. Recipients
whose address starts with "reject" are refused with 550; those starting with
"tempfail" get 451 the first time and are accepted after.

usage: smtp_sink.py PORT OUTPUT
"""
import asyncio
import json
import re
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, output, reject):
        self.output = output
        self.reject = re.compile(reject)
        self.tempfailed = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject.search(address):
            return '550 5.1.1 No such mailbox here'
        if address.startswith('tempfail') and address not in self.tempfailed:
            self.tempfailed.add(address)
            return '451 4.3.0 Try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'from': str(message['From']),
            'to': str(message['To']),
            'subject': str(message['Subject']),
            'message_id': str(message['Message-ID']),
            'reference': str(message.get('X-Jaga-Reference', '')),
            'auto_submitted': str(message.get('Auto-Submitted', '')),
            'content_type': message.get_content_type(),
            'charset': message.get_content_charset(),
            # The wire has CRLF line ends; the test compares text.
            'body': message.get_content().replace('\r\n', '\n'),
        }
        with open(self.output, 'a', encoding='utf-8') as out:
            out.write(json.dumps(record, ensure_ascii=False) + '\n')
        return '250 Message accepted'


def main():
    port, output = int(sys.argv[1]), sys.argv[2]
    reject = sys.argv[3] if len(sys.argv) > 3 else '^reject'
    controller = Controller(Sink(output, reject), hostname='127.0.0.1', port=port)
    controller.start()
    print(f'listening on 127.0.0.1:{port}', flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == '__main__':
    main()
