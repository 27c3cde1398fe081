# wrong: the story's own fix, SO_REUSEADDR on the server and the client:
# it works, and any user can now bind 127.0.0.1:5000 over the service
# fails: no socket of the program on port 5000 sets SO_REUSEADDR
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("0.0.0.0", 5000))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
client.bind(("127.0.0.1", 5000))
client.sendto(b"hello", ("127.0.0.1", 6000))
client.close()
while True:
    data, sender = server.recvfrom(512)
    if data == b"bye":
        break
    server.sendto(b"pong", sender)
