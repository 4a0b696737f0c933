//! The process's TCP connections, found by their descriptors. lettre keeps
//! its socket to itself, and two things need it: no delay on small writes
//! (without it, the line that ends a message waits for the server's delayed
//! acknowledgement, 40 ms a message), and a shutdown that ends a read
//! waiting on the server after a stop. The only TCP connections a `send`
//! process has are the one to the mail server and the relay's to lettre
//! ([`super::relay`]), which carry the same conversation.

use std::os::fd::RawFd;

/// Calls `each` with every TCP socket the process has open, past standard
/// input, output and error (which are never the mail server).
pub fn each_tcp(mut each: impl FnMut(RawFd)) {
    // SAFETY: getrlimit fills the struct it is given.
    let limit = unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        match libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) {
            0 => limit.rlim_cur.min(65_536) as RawFd,
            _ => 1024,
        }
    };
    for fd in 3..limit {
        // SAFETY: fstat and getsockname on a descriptor number fail
        // harmlessly when it is not open or not a socket.
        let tcp = unsafe {
            let mut stat: libc::stat = std::mem::zeroed();
            if libc::fstat(fd, &mut stat) != 0 || stat.st_mode & libc::S_IFMT != libc::S_IFSOCK {
                continue;
            }
            let mut address: libc::sockaddr_storage = std::mem::zeroed();
            let mut length = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            libc::getsockname(
                fd,
                (&mut address as *mut libc::sockaddr_storage).cast(),
                &mut length,
            ) == 0
                && matches!(i32::from(address.ss_family), libc::AF_INET | libc::AF_INET6)
        };
        if tcp {
            each(fd);
        }
    }
}

/// Sends small writes at once on every TCP connection of the process.
pub fn no_delay() {
    each_tcp(|fd| {
        let on: libc::c_int = 1;
        // SAFETY: setsockopt on a TCP socket with an int option it takes.
        unsafe {
            libc::setsockopt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    });
}
