# wrong: socket.create_server(family=AF_INET6) without dualstack_ipv6=True
# fails: an IPv4 client (127.0.0.1:7200) reads "hi"
"""create_server() with family=AF_INET6 and dualstack_ipv6 left False sets
IPV6_V6ONLY to 1 itself: [::]:7200 takes IPv6 only, and no IPv4 socket is
there for 127.0.0.1."""
import socket

with socket.create_server(("::", 7200), family=socket.AF_INET6) as lsn:
    for served in range(2):
        conn, _ = lsn.accept()
        with conn:
            conn.sendall(b"hi\n")
