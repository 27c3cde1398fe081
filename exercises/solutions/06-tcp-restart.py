"""Reference solution to exercise 06, in Python (for instructors):
SO_REUSEADDR on the listener before bind(): the port may be bound again
while old connections on it wait out TIME-WAIT."""
import socket
import sys

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    listener.bind(("127.0.0.1", 7100))
except OSError as e:
    sys.exit(f"bind: {e}")
listener.listen(8)
conn, _ = listener.accept()
conn.sendall(b"hi\n")
conn.close()        # the server closes first: its side goes to TIME-WAIT
listener.close()
