# wrong: the story's design in Python: a server socket on 6881 and a client
# socket of its own that sends; the tracker learns the client's port
# fails: the tracker saw the announce come from port 6881
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("0.0.0.0", 6881))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.sendto(b"announce", ("10.1.0.2", 6969))
words = client.recvfrom(128)[0].decode().split()
client.sendto(b"hello", (words[1], int(words[2])))
data, sender = client.recvfrom(128)
client.sendto(b"thanks", sender)
