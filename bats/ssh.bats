#!/usr/bin/env bats
# OpenSSH through nc, as ssh_config(5) users write it: ProxyCommand with a
# SOCKS5 or HTTP CONNECT proxy, and ProxyUseFdpass with -F. A private sshd
# (its own host key, config and authorized_keys, on a free loopback port;
# /run/sshd in a private tmpfs when the system has none) is started per
# test and killed by PID. Needs root (sshd and a login); skipped otherwise.

load helpers

setup() {
	common_setup
	((EUID == 0)) || skip "a private sshd needs root"
	need ssh ssh-keygen /usr/sbin/sshd
	start_sshd
}

teardown() {
	common_teardown
}

start_sshd() {
	SSH_DIR=$BATS_TEST_TMPDIR/ssh
	mkdir -p "$SSH_DIR"
	ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/id"
	cp "$SSH_DIR/id.pub" "$SSH_DIR/authorized_keys"
	cat >"$SSH_DIR/sshd_config" <<-EOF
		Port __PORT__
		ListenAddress 127.0.0.1
		ListenAddress ::1
		HostKey $SSH_DIR/host_key
		PidFile $SSH_DIR/sshd.pid
		AuthorizedKeysFile $SSH_DIR/authorized_keys
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		UsePAM no
		PermitRootLogin prohibit-password
		StrictModes no
		LogLevel ERROR
	EOF
	local ns=() run_dir='exec'
	# sshd wants /run/sshd: a private tmpfs /run holds one where the system has none.
	if [[ ! -d /run/sshd ]]; then
		need unshare
		unshare -m true 2>/dev/null || skip "no /run/sshd and no private mount namespace for one"
		ns=(unshare -m)
		run_dir='mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec'
	fi
	start_on sshd "${ns[@]}" sh -c "sed \"s/__PORT__/\$1/\" \"\$2\" >\"\$2.\$1\" && $run_dir /usr/sbin/sshd -D -e -f \"\$2.\$1\"" \
		sh @PORT@ "$SSH_DIR/sshd_config" || return 1
	SSH_PORT=$STARTED_PORT
}

# ssh_via OPTIONS... -- HOST: "ssh HOST echo through", with the test's key and
# host key file, no agent, no config; its output and status in run's.
ssh_via() {
	local opts=()
	while [[ $1 != -- ]]; do
		opts+=("$1")
		shift
	done
	run timeout 30 ssh -F /dev/null -o UserKnownHostsFile="$SSH_DIR/known_hosts" \
		-o StrictHostKeyChecking=accept-new -o IdentityFile="$SSH_DIR/id" -o IdentitiesOnly=yes \
		-o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR -p "$SSH_PORT" "${opts[@]}" \
		"root@$2" echo through
}

@test "ssh: ProxyCommand nc -X 5 -x (microsocks), to 127.0.0.1" {
	start_microsocks
	ssh_via -o ProxyCommand="$NC_BIN_DIR/nc -X 5 -x 127.0.0.1:$MS_PORT %h %p" -- 127.0.0.1
	assert_success
	assert_output "through"
}

@test "ssh: ProxyCommand nc -X 5 -x (dante), to ::1" {
	start_dante none
	ssh_via -o ProxyCommand="$NC_BIN_DIR/nc -X 5 -x 127.0.0.1:$DANTE_PORT %h %p" -- ::1
	assert_success
	assert_output "through"
}

@test "ssh: ProxyCommand nc -X connect -x (tinyproxy)" {
	start_tinyproxy
	ssh_via -o ProxyCommand="$NC_BIN_DIR/nc -X connect -x 127.0.0.1:$TP_PORT %h %p" -- 127.0.0.1
	assert_success
	assert_output "through"
}

@test "ssh: ProxyCommand through tinyproxy with BasicAuth, the password from NC_PROXY_PASSWORD" {
	start_tinyproxy pxuser pxpass
	export NC_PROXY_PASSWORD=pxpass
	ssh_via -o ProxyCommand="setsid -w $NC_BIN_DIR/nc -X connect -P pxuser -x 127.0.0.1:$TP_PORT %h %p" -- 127.0.0.1
	unset NC_PROXY_PASSWORD
	assert_success
	assert_output "through"
}

@test "ssh: ProxyUseFdpass with nc -F, directly and through SOCKS5" {
	ssh_via -o ProxyUseFdpass=yes -o ProxyCommand="$NC_BIN_DIR/nc -F %h %p" -- 127.0.0.1
	assert_success
	assert_output "through"
	start_dante none
	ssh_via -o ProxyUseFdpass=yes -o ProxyCommand="$NC_BIN_DIR/nc -F -X 5 -x 127.0.0.1:$DANTE_PORT %h %p" -- ::1
	assert_success
	assert_output "through"
}

@test "ssh: ProxyUseFdpass with nc -F to a closed port: ssh is told nothing came" {
	local closed
	closed=$(closed_port)
	ssh_via -o ProxyUseFdpass=yes -o ProxyCommand="$NC_BIN_DIR/nc -F %h $closed" -- 127.0.0.1
	assert_failure 255
	assert_output --partial "proxy dialer did not pass back a connection"
}
