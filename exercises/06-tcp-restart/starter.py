"""Exercise 06 -- a TCP server on 127.0.0.1:7100: accept one connection,
write "hi\n", close it first, exit.

Run it twice in a row: the second run's bind() raises OSError
(EADDRINUSE) while the first connection is in TIME-WAIT.
Run: python3 ex06.py"""
import socket
import sys

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# TODO: the next run must be able to bind while this one's connection waits
try:
    listener.bind(("127.0.0.1", 7100))
except OSError as e:
    sys.exit(f"bind: {e}")
listener.listen(8)
conn, _ = listener.accept()
conn.sendall(b"hi\n")
conn.close()        # the server closes first: its side goes to TIME-WAIT
listener.close()
