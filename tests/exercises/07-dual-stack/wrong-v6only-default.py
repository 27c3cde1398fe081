# wrong: one AF_INET6 socket on [::]:7200 that never says IPV6_V6ONLY
# fails: with net.ipv6.bindv6only = 1 too
"""It takes IPv4 only where net.ipv6.bindv6only is 0, the Linux default;
where it is 1 (some distributions, the BSDs' default) IPv4 clients are
refused."""
import socket
import sys

lsn = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
try:
    lsn.bind(("::", 7200))
except OSError as e:
    sys.exit(f"bind [::]:7200: {e}")
lsn.listen(8)
for served in range(2):
    conn, _ = lsn.accept()
    conn.sendall(b"hi\n")
    conn.close()
lsn.close()
