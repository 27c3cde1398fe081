# wrong: the first socket lives in a with block, closed before the second binds
# fails: two sockets of the program hold port 5000 at the same time
import socket

port = ("127.0.0.1", 5000)
service = ("127.0.0.1", 6000)
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as first:
    first.bind(port)
    first.sendto(b"one", service)
# first is closed here: the port is free again
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as second:
    second.bind(port)
    second.sendto(b"two", service)
    second.settimeout(4.0)
    try:
        second.recvfrom(512)
    except socket.timeout:
        pass
