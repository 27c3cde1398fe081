"""Reference solution to exercise 07, in Python (for instructors):
IPV6_V6ONLY on the IPv6 socket, so [::]:7200 means IPv6 only and no
longer collides with 0.0.0.0:7200.  (One dual-stack socket with
IPV6_V6ONLY = 0 passes too.)"""
import select
import socket
import sys

lsn = [socket.socket(socket.AF_INET, socket.SOCK_STREAM),
       socket.socket(socket.AF_INET6, socket.SOCK_STREAM)]

lsn[1].setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
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
