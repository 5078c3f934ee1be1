/* -F: handing a connected socket to the process at the other end of a Unix socket. */
#ifndef NC_NET_FDPASS_H
#define NC_NET_FDPASS_H

/*
 * Sends fd over the Unix-domain socket sock as SCM_RIGHTS with a one-byte
 * payload (a NUL), which is what OpenSSH's ProxyUseFdpass reads. Returns 0
 * or the errno value of sendmsg(2) (ENOTSOCK when sock is no socket).
 */
int fdpass_send(int sock, int fd);

#endif
