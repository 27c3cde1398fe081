"""Exercise 07 -- a TCP server on port 7200 for IPv4 and IPv6 clients:
accept two connections, write "hi\n" on each, exit.

This starter opens 0.0.0.0:7200 and then [::]:7200, and the second
bind() raises OSError (EADDRINUSE).
Run: python3 ex07.py"""
import select
import socket
import sys

lsn = [socket.socket(socket.AF_INET, socket.SOCK_STREAM),
       socket.socket(socket.AF_INET6, socket.SOCK_STREAM)]

try:
    lsn[0].bind(("0.0.0.0", 7200))
except OSError as e:
    sys.exit(f"bind 0.0.0.0:7200: {e}")
try:
    lsn[1].bind(("::", 7200))
except OSError as e:
    sys.exit(f"bind [::]:7200: {e}")
lsn[0].listen(8)
lsn[1].listen(8)

poller = select.poll()
for s in lsn:
    poller.register(s, select.POLLIN)
by_fd = {s.fileno(): s for s in lsn}
served = 0
while served < 2:
    for fd, events in poller.poll():
        if not events & select.POLLIN:
            continue
        conn, _ = by_fd[fd].accept()
        conn.sendall(b"hi\n")
        conn.close()
        served += 1
lsn[0].close()
lsn[1].close()
