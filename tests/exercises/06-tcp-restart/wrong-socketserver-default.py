# wrong: socketserver.TCPServer, whose allow_reuse_address is False by default
# fails: the second run listens on 7100 at once
"""The standard library's server class does the socket calls, but sets
SO_REUSEADDR only when the class says allow_reuse_address = True (as
http.server's does); TCPServer leaves it off, so the second run's bind()
meets the first run's TIME-WAIT."""
import socketserver


class Hi(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(b"hi\n")


# the server closes the connection after handle(): it closes first
with socketserver.TCPServer(("127.0.0.1", 7100), Hi) as server:
    server.handle_request()
