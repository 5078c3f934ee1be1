#!/bin/sh
# Makes the certificates the TLS tests use, in directory $1 (created):
#   ca.pem ca.key            the test CA ("root")
#   server.pem server.key    CN=localhost, DNS:localhost, IP:127.0.0.1, by ca
#   client.pem client.key    CN=client, DNS:client, for client auth, by ca
#   wrongca.pem              another CA; wrongca-server.pem/.key: localhost by it
#   wrongname.pem/.key       CN=wrong.example, by ca
#   expired.pem/.key         localhost by ca, ended in 2020
#   soon.pem/.key            localhost by ca, ends in 5 days
# EC P-256 keys: quick to make. Needs openssl(1).
set -eu
d=$1
mkdir -p "$d"
cd "$d"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca() { # NAME CN
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 3650 -sha256 \
		-subj "/O=nc-test/OU=ca/CN=$2" \
		-addext basicConstraints=critical,CA:true \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# leaf NAME CA CN SAN USAGE [openssl ca date options...]
leaf() {
	name=$1 signer=$2 cn=$3 san=$4 usage=$5
	shift 5
	key "$name.key"
	openssl req -new -key "$name.key" -out "$name.csr" -subj "/O=nc-test/OU=$name/CN=$cn" 2>/dev/null
	cat >"$name.ext" <<EOF
[ca]
default_ca = test_ca
[test_ca]
database = $signer.index
new_certs_dir = .
serial = $signer.serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
x509_extensions = leaf_ext
[any]
commonName = supplied
organizationName = optional
organizationalUnitName = optional
[leaf_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = $usage
subjectAltName = $san
EOF
	[ -f "$signer.index" ] || : >"$signer.index"
	[ -f "$signer.serial" ] || echo 1000 >"$signer.serial"
	openssl ca -batch -notext -preserveDN -config "$name.ext" -cert "$signer.pem" -keyfile "$signer.key" \
		-in "$name.csr" -out "$name.pem" "$@" 2>/dev/null
	rm -f "$name.csr" "$name.ext" ./10*.pem
}

ca ca root
ca wrongca other-root
leaf server ca localhost "DNS:localhost,IP:127.0.0.1" serverAuth -days 365
leaf client ca client "DNS:client" clientAuth -days 365
leaf wrongca-server wrongca localhost "DNS:localhost,IP:127.0.0.1" serverAuth -days 365
leaf wrongname ca wrong.example "DNS:wrong.example" serverAuth -days 365
leaf expired ca localhost "DNS:localhost,IP:127.0.0.1" serverAuth \
	-startdate 20200101000000Z -enddate 20200201000000Z
leaf soon ca localhost "DNS:localhost,IP:127.0.0.1" serverAuth -days 5
rm -f ./*.index* ./*.serial*
