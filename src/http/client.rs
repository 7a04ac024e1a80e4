//! The client address of a request, by the kernel's trusted-proxy rule.

use poem::Request;

use crate::kernel::client_address::ClientAddress;
use crate::state::AppState;

pub fn client_address(req: &Request, state: &AppState) -> Option<ClientAddress> {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let forwarded = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    ClientAddress::resolve(peer, forwarded, &state.config.trusted_proxies)
}
