"""Reference solution to exercise 08, in Python (for instructors):
IP_BIND_ADDRESS_NO_PORT before bind(): the source address is fixed now,
the port chosen by connect(), which may share it between the two
servers."""
import socket
import sys

CONNS = 8

conn = []
for i in range(CONNS):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.append(s)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_BIND_ADDRESS_NO_PORT, 1)
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
