"""Exercise 08 -- eight TCP connections from 127.0.0.2, four to
127.0.0.1:7300 and four to :7301, all open at once, with only four
ephemeral ports.

This starter binds (127.0.0.2, port 0) before each connect(), and the
fifth bind() raises OSError (EADDRINUSE).
Run: python3 ex08.py"""
import socket
import sys

CONNS = 8

conn = []
for i in range(CONNS):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.append(s)
    # TODO: four ephemeral ports must carry eight connections
    try:
        s.bind(("127.0.0.2", 0))        # 127.0.0.2, port 0: any port
    except OSError as e:
        sys.exit(f"bind 127.0.0.2:0: {e}")
    try:
        s.connect(("127.0.0.1", 7300 + i % 2))
    except OSError as e:
        sys.exit(f"connect: {e}")

# hold them all until the servers close them
for s in conn:
    while s.recv(1):
        pass
    s.close()
