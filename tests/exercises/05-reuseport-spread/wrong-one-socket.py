# wrong: one socket, and four "workers" that take turns with its queue
# fails: four sockets of the program share 127.0.0.1:7000
"""The answers name four workers; the kernel knows one socket."""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 7000))
turn = 0
while True:
    data, sender = s.recvfrom(64)
    if data == b"bye":
        sys.exit(0)
    s.sendto(b"w%d %s" % (turn, data), sender)
    turn = (turn + 1) % 4
