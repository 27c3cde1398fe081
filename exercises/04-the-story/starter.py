"""Exercise 04 -- the story's program on UDP port 5000, done safely.

This starter is the story's first attempt, in Python: a second socket
for the client, SO_REUSEADDR on the client only.  The client's bind()
raises OSError (EADDRINUSE), and the server goes on without ever sending
the request.
Run: python3 ex04.py"""
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("0.0.0.0", 5000))

# TODO: send the request from port 5000.  "Address reuse", on the client:
client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    client.bind(("127.0.0.1", 5000))
    client.sendto(b"hello", ("127.0.0.1", 6000))
except OSError as e:
    print("client bind:", e)     # the story's error; the server carries on
client.close()

while True:
    data, sender = server.recvfrom(512)
    if data == b"bye":
        break
    server.sendto(b"pong", sender)
server.close()
