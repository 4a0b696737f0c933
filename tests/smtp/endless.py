"""A broken SMTP server on 127.0.0.1 for the tests of `protest send`: one
reply line that never ends (64 KiB chunks, never a line break).

It prints its port on the first line of standard output, then serves until
killed. With `greeting`, the greeting is that line; with `data`, it speaks
SMTP until the end of a message's data, and answers that with it.
"""

import socket
import sys
import threading


def serve(connection, where):
    try:
        endless = b"x" * 65536
        if where == "greeting":
            connection.sendall(b"220 ")
            while True:
                connection.sendall(endless)
        connection.sendall(b"220 t ESMTP\r\n")
        lines = connection.makefile("rb")
        for line in lines:
            command = line.upper()
            if command.startswith(b"EHLO"):
                connection.sendall(b"250-t\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n")
            elif command.startswith(b"AUTH"):
                connection.sendall(b"235 ok\r\n")
            elif command.startswith(b"DATA"):
                connection.sendall(b"354 go\r\n")
                for data in lines:
                    if data == b".\r\n":
                        break
                connection.sendall(b"250 ")
                while True:
                    connection.sendall(endless)
            elif command.startswith(b"QUIT"):
                connection.sendall(b"221 bye\r\n")
                break
            else:
                connection.sendall(b"250 ok\r\n")
    except OSError:
        pass
    connection.close()


def main():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    print(listener.getsockname()[1], flush=True)
    while True:
        connection = listener.accept()[0]
        threading.Thread(target=serve, args=(connection, sys.argv[1]), daemon=True).start()


if __name__ == "__main__":
    main()
