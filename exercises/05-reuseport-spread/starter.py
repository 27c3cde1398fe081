"""Exercise 05 -- four worker sockets on 127.0.0.1:7000; worker K answers
"qN" with "wK qN".

This starter shares the port with SO_REUSEADDR, and one worker gets
every datagram.
Run: python3 ex05.py"""
import select
import socket
import sys

WORKERS = 4

worker = []
poller = select.poll()
for k in range(WORKERS):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 7000))
    worker.append(s)
    poller.register(s, select.POLLIN)
label = {s.fileno(): k for k, s in enumerate(worker)}

while True:
    for fd, events in poller.poll():     # retried on EINTR by Python
        if not events & select.POLLIN:
            continue
        k = label[fd]
        data, sender = worker[k].recvfrom(64)
        if data == b"bye":
            sys.exit(0)
        worker[k].sendto(b"w%d %s" % (k, data), sender)
