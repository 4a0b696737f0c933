//! A bound on what the server may send between two things the client says.
//!
//! lettre reads a reply line with `read_line`, which grows its buffer until
//! a line break comes: a server that never sends one fills memory until the
//! process aborts. lettre reads from its own socket and takes no stream of
//! ours, so the bound sits between the two: lettre connects to a relay on
//! 127.0.0.1 that this process alone uses, and the relay passes the bytes
//! both ways, cutting the connection when the server sends more than
//! [`SERVER_BUDGET`] bytes since the client last wrote. TLS, when there is
//! any, still runs from lettre to the server: the relay sees only its bytes.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The most bytes the server may send between two writes of the client:
/// lettre takes a reply of at most 100 kB, and a TLS handshake's
/// certificates are a few kB; a server past this is not answering.
pub const SERVER_BUDGET: usize = 1024 * 1024;

/// One relayed connection; `overflowed` is set when the server overran the budget.
pub struct Relay {
    pub local: SocketAddr,
    pub overflowed: Arc<AtomicBool>,
}

/// Connects to the server at `address` and starts a relay to it; lettre
/// connects to [`Relay::local`].
pub fn start(address: (&str, u16), timeout: Duration) -> io::Result<Relay> {
    let server = connect(address, timeout)?;
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let local = listener.local_addr()?;
    let overflowed = Arc::new(AtomicBool::new(false));
    let flag = overflowed.clone();
    std::thread::spawn(move || {
        // Only a connection this process made: another user on this
        // computer who found the port is refused.
        let client = loop {
            match listener.accept() {
                Ok((client, peer)) if is_ours(peer) => break client,
                Ok(_) => continue,
                Err(_) => return,
            }
        };
        drop(listener);
        pass(client, server, flag);
    });
    Ok(Relay { local, overflowed })
}

fn connect(address: (&str, u16), timeout: Duration) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the name has no address");
    for address in address.to_socket_addrs()? {
        match TcpStream::connect_timeout(&address, timeout) {
            Ok(stream) => return Ok(stream),
            Err(err) => last = err,
        }
    }
    Err(last)
}

/// Whether `peer` is a TCP socket of this process.
fn is_ours(peer: SocketAddr) -> bool {
    let mut ours = false;
    super::sockets::each_tcp(|fd| {
        // SAFETY: borrowing a descriptor that stays open for the call.
        let socket = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        if let Ok(socket) = socket.try_clone_to_owned() {
            let stream = TcpStream::from(socket);
            ours |= stream.local_addr().is_ok_and(|local| local == peer);
        }
    });
    ours
}

/// Copies both ways until either side ends, or the server overruns its budget.
fn pass(client: TcpStream, server: TcpStream, overflowed: Arc<AtomicBool>) {
    let since_client_wrote = Arc::new(AtomicUsize::new(0));
    let (Ok(mut client_in), Ok(mut server_out)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let counter = since_client_wrote.clone();
    let upward = std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n @ 1..) = client_in.read(&mut buffer) {
            counter.store(0, Ordering::SeqCst);
            if server_out.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = server_out.shutdown(Shutdown::Write);
    });
    let (mut server_in, mut client_out) = (server, client);
    let mut buffer = [0u8; 16 * 1024];
    while let Ok(n @ 1..) = server_in.read(&mut buffer) {
        if since_client_wrote.fetch_add(n, Ordering::SeqCst) + n > SERVER_BUDGET {
            overflowed.store(true, Ordering::SeqCst);
            let _ = server_in.shutdown(Shutdown::Both);
            break;
        }
        if client_out.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
    let _ = client_out.shutdown(Shutdown::Both);
    let _ = upward.join();
}
