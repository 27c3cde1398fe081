# wrong: each socket in a with-block, closed when the block ends: never eight at once
# fails: eight connections from the program are open at the same time
"""IP_BIND_ADDRESS_NO_PORT, but `with socket.socket(...) as s:` closes
each connection when its iteration ends, before the next is opened:
eight connections, never eight at once (a proxy that holds its
back-end connections would still run out)."""
import socket

for i in range(8):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_BIND_ADDRESS_NO_PORT, 1)
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", 7300 + i % 2))
