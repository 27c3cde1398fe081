# wrong: create_connection() with no source_address: they come from 127.0.0.1
# fails: every connection comes from 127.0.0.2
"""No bind() at all: connect() picks address and port, and eight
connections fit, but they come from 127.0.0.1, not the proxy's address
127.0.0.2."""
import socket

conn = [socket.create_connection(("127.0.0.1", 7300 + i % 2)) for i in range(8)]
for s in conn:
    while s.recv(1):
        pass
    s.close()
