"""Reference solution to exercise 02, in Python (for instructors):
SO_REUSEADDR on the newcomer before its bind(), and on the holder by the
time the newcomer binds (here: both before either binds, the simplest
order).  A failed bind() raises OSError, so no socket sends from a port
the kernel picks; select() retries by itself after EINTR (PEP 475)."""
import select
import socket

port = ("127.0.0.1", 5000)
service = ("127.0.0.1", 6000)
first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
second.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
first.bind(port)
second.bind(port)
first.sendto(b"one", service)
second.sendto(b"two", service)
# both stay open until something arrives on either
select.select([first, second], [], [], 4.0)
first.close()
second.close()
