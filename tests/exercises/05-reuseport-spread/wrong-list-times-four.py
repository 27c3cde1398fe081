# wrong: [socket.socket(...)] * 4 is one socket four times, not four sockets
# fails: four sockets of the program share 127.0.0.1:7000
"""List repetition copies the reference, not the socket: the second
bind() of the same socket raises OSError (EINVAL) and the program dies
with one socket on the port."""
import select
import socket
import sys

worker = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)] * 4
for s in worker:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("127.0.0.1", 7000))

poller = select.poll()
for s in worker:
    poller.register(s, select.POLLIN)
by_fd = {s.fileno(): k for k, s in enumerate(worker)}
while True:
    for fd, events in poller.poll():
        k = by_fd[fd]
        data, sender = worker[k].recvfrom(64)
        if data == b"bye":
            sys.exit(0)
        worker[k].sendto(b"w%d %s" % (k, data), sender)
