# wrong: SO_REUSEADDR set only in the except branch, then bind() retried
# fails: the second run listens on 7100 at once
"""bind() raises EADDRINUSE during TIME-WAIT, so set SO_REUSEADDR and
retry: the TIME-WAIT inherited the first run's listener's flag (off), and
no flag set now on the newcomer can share with it."""
import errno
import socket
import sys

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    listener.bind(("127.0.0.1", 7100))
except OSError as e:
    if e.errno != errno.EADDRINUSE:
        raise
    # "address in use: that's what SO_REUSEADDR is for"
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", 7100))
    except OSError as e:
        sys.exit(f"bind again, with SO_REUSEADDR: {e}")
listener.listen(8)
conn, _ = listener.accept()
conn.sendall(b"hi\n")
conn.close()
listener.close()
