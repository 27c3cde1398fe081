# wrong: bind() after the first sendto(); the late bind's EINVAL is caught and ignored
# fails: it comes from port 5000
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"hello", ("127.0.0.1", 6000))
try:
    s.bind(("127.0.0.1", 5000))
except OSError as e:
    print("bind:", e)
s.close()
