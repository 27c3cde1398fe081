"""Reference solution to exercise 04, in Python (for instructors): one
socket for both directions.  The server's socket sends the request
itself, so it leaves from port 5000 and the answers come back to it; no
second socket shares the port, so no reuse option is needed, and no
other user can bind over the service (docs/security.md)."""
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5000))
# the request, from the socket that will receive the answer
s.sendto(b"hello", ("127.0.0.1", 6000))
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(b"pong", sender)
s.close()
