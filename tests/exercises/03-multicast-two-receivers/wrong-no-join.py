# wrong: both bind port 7000, neither joins the group ("binding the port is enough")
# fails: a member of 239.1.2.3 on lo
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 7000))
while True:
    data, sender = s.recvfrom(512)
    if data == b"bye":
        break
    s.sendto(data, sender)
s.close()
