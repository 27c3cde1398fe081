"""Reference solution to exercise 01, in Python (for instructors): bind
port 5000 before the first sendto(), so the datagram leaves from it.  A
failed bind() raises OSError, so the program never sends from a port the
kernel picks."""
import socket

service = ("127.0.0.1", 6000)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5000))
s.sendto(b"hello", service)
s.close()
