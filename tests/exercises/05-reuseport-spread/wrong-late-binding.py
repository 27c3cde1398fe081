# wrong: one lambda per worker reads k when called, after the loop: all say w3
# fails: each answer's K names the socket that received the query
"""A real SO_REUSEPORT group, but each worker's answer is a closure over
the loop variable k: Python looks k up when the lambda runs, once the
loop has left it at 3, so every worker answers "w3 qN"."""
import select
import socket
import sys

worker = {}
poller = select.poll()
for k in range(4):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("127.0.0.1", 7000))
    poller.register(s, select.POLLIN)
    worker[s.fileno()] = (s, lambda query: b"w%d %s" % (k, query))

while True:
    for fd, events in poller.poll():
        s, answer = worker[fd]
        data, sender = s.recvfrom(64)
        if data == b"bye":
            sys.exit(0)
        s.sendto(answer(data), sender)
