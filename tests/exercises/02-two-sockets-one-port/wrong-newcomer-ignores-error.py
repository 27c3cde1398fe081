# wrong: SO_REUSEADDR on the second socket only, and its bind's OSError is caught and ignored
# fails: "two" arrives at 127.0.0.1:6000 from port 5000
import select
import socket

port = ("127.0.0.1", 5000)
service = ("127.0.0.1", 6000)
first = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
second = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
first.bind(port)
second.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    second.bind(port)
except OSError as e:
    print("bind second:", e)    # ... and carries on
first.sendto(b"one", service)
second.sendto(b"two", service)
select.select([first, second], [], [], 4.0)
