# wrong: SO_LINGER 0 resets the connection, so no TIME-WAIT is left at all
# fails: its connection is in TIME-WAIT on port 7100 when the second run starts
"""SO_LINGER with a zero timeout, packed as struct linger: close() resets
the connection and leaves no TIME-WAIT; the restart works, by throwing
away the protection TIME-WAIT gives (and data still in flight)."""
import socket
import struct
import time

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 7100))
listener.listen(8)
conn, _ = listener.accept()
conn.sendall(b"hi\n")
time.sleep(0.1)     # let "hi" arrive before the reset
conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
conn.close()
listener.close()
