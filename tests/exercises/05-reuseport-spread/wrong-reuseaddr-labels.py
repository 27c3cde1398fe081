# wrong: SO_REUSEADDR, one socket gets every query; labels q % 4 look spread
# fails: the kernel spread them: each of the four sockets' receive queues took some
"""SO_REUSEADDR shares the port, so one socket receives every query; the
answers are labelled by the query's number modulo 4 so they look spread."""
import select
import socket
import sys

worker = []
poller = select.poll()
for k in range(4):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 7000))
    worker.append(s)
    poller.register(s, select.POLLIN)
by_fd = {s.fileno(): s for s in worker}

while True:
    for fd, events in poller.poll():
        data, sender = by_fd[fd].recvfrom(64)
        if data == b"bye":
            sys.exit(0)
        k = int(data[1:]) % 4
        by_fd[fd].sendto(b"w%d %s" % (k, data), sender)
