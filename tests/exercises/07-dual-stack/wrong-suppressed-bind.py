# wrong: the IPv4 bind()'s OSError swallowed; listen() gives it a random port
# fails: every listening socket of the program is on port 7200
"""Two sockets, one per family, the IPv6 one bound first without
IPV6_V6ONLY; the IPv4 bind() raises EADDRINUSE inside
contextlib.suppress(OSError), and listen() gives that socket a random
port of its own.  Both clients are served, by the dual-stack socket: the
second listener is a stray."""
import contextlib
import select
import socket

lsn = [socket.socket(socket.AF_INET6, socket.SOCK_STREAM),
       socket.socket(socket.AF_INET, socket.SOCK_STREAM)]
lsn[0].bind(("::", 7200))
with contextlib.suppress(OSError):      # "already bound: fine"
    lsn[1].bind(("0.0.0.0", 7200))
for s in lsn:
    s.listen(8)

poller = select.poll()
for s in lsn:
    poller.register(s, select.POLLIN)
by_fd = {s.fileno(): s for s in lsn}
served = 0
while served < 2:
    for fd, events in poller.poll():
        conn, _ = by_fd[fd].accept()
        conn.sendall(b"hi\n")
        conn.close()
        served += 1
