"""Exercise 02 -- two UDP sockets on 127.0.0.1:5000; "one" from the first,
"two" from the second, both to 127.0.0.1:6000; then both stay open until
a datagram arrives on either.  With this starter the second bind()
raises OSError (EADDRINUSE).
Run: python3 ex02.py"""
import select
import socket

port = ("127.0.0.1", 5000)
service = ("127.0.0.1", 6000)
first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# TODO: both sockets must be able to hold port 5000
try:
    first.bind(port)
except OSError as e:
    raise SystemExit(f"bind first: {e}")
try:
    second.bind(port)
except OSError as e:
    raise SystemExit(f"bind second: {e}")
first.sendto(b"one", service)
second.sendto(b"two", service)
# both stay open until something arrives on either
select.select([first, second], [], [], 4.0)
first.close()
second.close()
