# wrong: binds before sending, but to port 0, which asks the kernel to pick one
# fails: it comes from port 5000
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.sendto(b"hello", ("127.0.0.1", 6000))
s.close()
