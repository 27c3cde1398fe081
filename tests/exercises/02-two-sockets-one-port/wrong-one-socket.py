# wrong: one socket, no option: it sends "one" and "two" itself
# fails: two sockets of the program hold port 5000 at the same time
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5000))
s.sendto(b"one", ("127.0.0.1", 6000))
s.sendto(b"two", ("127.0.0.1", 6000))
s.settimeout(4.0)
try:
    s.recvfrom(512)
except socket.timeout:
    pass
s.close()
