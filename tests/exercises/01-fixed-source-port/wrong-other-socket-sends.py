# wrong: one socket is bound to port 5000, but another (never bound) one sends
# fails: it comes from port 5000
import socket

bound = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
bound.bind(("127.0.0.1", 5000))
sender.sendto(b"hello", ("127.0.0.1", 6000))
sender.close()
bound.close()
