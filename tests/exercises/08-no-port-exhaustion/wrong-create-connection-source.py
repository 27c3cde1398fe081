# wrong: socket.create_connection(source_address=("127.0.0.2", 0)) for each
# fails: four connections reach each server at once
"""create_connection() binds source_address before connect(), with no
IP_BIND_ADDRESS_NO_PORT: each bind() takes a port of its own, and the
fifth finds none left (EADDRINUSE)."""
import socket

conn = []
for i in range(8):
    conn.append(socket.create_connection(("127.0.0.1", 7300 + i % 2),
                                         source_address=("127.0.0.2", 0)))
for s in conn:
    while s.recv(1):
        pass
    s.close()
