# wrong: SO_REUSEADDR set at level IPPROTO_IP (there, option 2 is IP_TTL): no reuse
# fails: two sockets of the program hold port 5000 at the same time
import select
import socket

port = ("127.0.0.1", 5000)
service = ("127.0.0.1", 6000)
first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
first.setsockopt(socket.IPPROTO_IP, socket.SO_REUSEADDR, 1)
second.setsockopt(socket.IPPROTO_IP, socket.SO_REUSEADDR, 1)
first.bind(port)
second.bind(port)
first.sendto(b"one", service)
second.sendto(b"two", service)
select.select([first, second], [], [], 4.0)
first.close()
second.close()
