# wrong: the story's fix (lab 07) in Python: server and client sockets
# share 6881 with SO_REUSEADDR, and the client talks; two sockets hold the
# node's port
# fails: the program holds one UDP socket, bound to port 6881
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("0.0.0.0", 6881))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
client.bind(("0.0.0.0", 6881))
client.sendto(b"announce", ("10.1.0.2", 6969))
words = client.recvfrom(128)[0].decode().split()
client.sendto(b"hello", (words[1], int(words[2])))
data, sender = client.recvfrom(128)
client.sendto(b"thanks", sender)
